"""The AWS Lambda entry points: ``api`` (HTTP API), ``worker`` (SQS), ``relay`` (schedule).

``template.yaml`` names their ``handler`` functions. In development, ``tools/local.py`` runs all
three on one machine, fed with the event payloads API Gateway, SQS and EventBridge send.
"""
