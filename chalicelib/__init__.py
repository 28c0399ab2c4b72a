"""The pet store's code, in layers whose imports point one way (app.py wires them together).

* ``domain``: what a pet, a question's filters, an error and an answer's sentence are. Imports nothing above.
* ``language``: the words shoppers use and the keyword parser. Stands on the domain.
* ``adapters``: DynamoDB, Bedrock, Cognito tokens, settings, secrets, telemetry. Stand on the domain.
* ``service``: answering a question and stocking a pet, using language and adapters together.
* ``web``: reading requests and signing page tokens, at the edge of the API.
"""
