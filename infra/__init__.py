"""Creating the AWS resources the app runs on, for real AWS and for the local emulator alike."""
