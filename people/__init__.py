"""People: invitations, accounts, single sign-on and the email outbox. Depends on projects only."""
