"""Identity: users, their passwords and roles, and the tokens that prove who is calling."""
