"""Bounded contexts, one package each; they meet only through each other's ``api`` module."""
