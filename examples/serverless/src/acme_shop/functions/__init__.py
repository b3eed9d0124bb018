"""The AWS Lambda entry points: ``api`` (HTTP API), ``worker`` (SQS), ``relay`` (schedule).

``template.yaml`` names their ``handler`` functions; ``local`` runs all three on one machine,
fed with the same event payloads API Gateway, SQS and EventBridge send.
"""
