"""Tests of the deployment: templates, policies, the deploy steps against moto."""
