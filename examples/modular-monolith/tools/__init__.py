"""Development tools: they refresh what is committed next to the code and run it locally.

Nothing here ships: the image and the deployed package hold the application only.
"""
