"""Members signing in: invitations with single-use sign-in links, login by code, a second factor
for officers who see personal data, and sign-in attempts limited (allauth, its MFA, axes)."""
