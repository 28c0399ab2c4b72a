"""The app's ways out: DynamoDB, Bedrock, Cognito tokens, the stage's settings and secrets, telemetry."""
