"""The members app."""

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "grassroots.members"
    label = "members"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from grassroots.members.models import Member
        from grassroots.members.tallies import forget_member

        # any member saved or deleted changes its unit's stored figures (the actions that write
        # members in bulk, and a move between branches, say so themselves)
        post_save.connect(forget_member, sender=Member, dispatch_uid="members-tallies-save")
        post_delete.connect(forget_member, sender=Member, dispatch_uid="members-tallies-delete")
