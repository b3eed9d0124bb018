"""The identity service: Users, their roles, and the tokens that prove who is calling."""
