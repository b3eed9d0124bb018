"""Acme Shop: Sell products online and fulfil the orders customers place."""
