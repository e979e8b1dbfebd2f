from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "grassroots.network"
    label = "network"
    verbose_name = "Network of groups"

    def ready(self) -> None:
        from grassroots.elections import voters
        from grassroots.network.actions.primaries import resolve_voter

        # a primary's ballot is cast with the voter record its roll made for the person
        voters.register(resolve_voter)  # type: ignore[arg-type]

        from grassroots.network.actions.roll_invitations import KEEPER
        from grassroots.signin import keepers

        # sign-in links reach people on a roll whom only a group's list knows
        keepers.register(KEEPER)
