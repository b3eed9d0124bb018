"""The load test (Locust) and the made-up data it needs: `make seed`, then `make load`."""
