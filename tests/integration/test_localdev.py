import socket
import subprocess
import sys

import pytest
import requests

from infra.bootstrap import UserPool
from localdev.stack import HOST, LocalStack, Ports, StackError


def test_a_taken_port_is_named_before_anything_starts() -> None:
    with socket.socket() as taken:
        taken.bind((HOST, 0))
        taken.listen()
        port = taken.getsockname()[1]
        stack = LocalStack(ports=Ports(aws=port, api=Ports.free().api, page=Ports.free().page))
        with pytest.raises(StackError, match=f"Port {port} \\(AWS_PORT\\).*already in use"):
            stack.start()


def test_make_run_refuses_to_start_twice(local_stack: LocalStack) -> None:
    env = {"AWS_PORT": str(local_stack.ports.aws), "API_PORT": "0", "PAGE_PORT": "0", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "localdev"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    assert "already in use" in result.stderr and "make run" in result.stderr


def test_the_page_gets_its_settings(local_stack: LocalStack) -> None:
    config = requests.get(local_stack.page_url + "config.json", timeout=10).json()
    assert config == {
        "apiBaseUrl": local_stack.api_url,
        "region": "us-east-1",
        "userPoolId": local_stack.pool.pool_id if local_stack.pool else None,
        "clientId": local_stack.pool.client_id if local_stack.pool else None,
        "cognitoEndpoint": local_stack.aws_url + "/",
    }


def test_sigterm_stops_every_process_it_started() -> None:
    ports = Ports.free()
    env = {"AWS_PORT": str(ports.aws), "API_PORT": str(ports.api), "PAGE_PORT": str(ports.page), "PATH": ""}
    run = subprocess.Popen(
        [sys.executable, "-m", "localdev"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert run.stdout is not None
    try:
        for line in run.stdout:
            if "Press Ctrl-C" in line:
                break
        else:
            pytest.fail("make run ended before it was ready")
        answer = requests.get(f"http://{HOST}:{ports.api}/pets", timeout=10)
        assert answer.status_code == 401
        run.terminate()
        assert run.wait(timeout=30) == 0
    finally:
        run.kill()
    for port in (ports.aws, ports.api, ports.page):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((HOST, port))  # raises if anything still listens


def test_bedrock_off_keeps_real_credentials_out_and_on_keeps_them_for_bedrock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREAL")
    monkeypatch.setenv("AWS_PROFILE", "work")
    pool = UserPool("us-east-1_x", "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_x", "client")
    off = LocalStack(pool=pool).api_environment()
    assert (
        off["AWS_ACCESS_KEY_ID"] == "local" and "AWS_PROFILE" not in off and off["BEDROCK_ENABLED"] == "false"
    )
    on = LocalStack(pool=pool, bedrock=True).api_environment()
    assert (
        on["AWS_ACCESS_KEY_ID"] == "AKIAREAL"
        and on["AWS_PROFILE"] == "work"
        and on["BEDROCK_ENABLED"] == "true"
    )
    for env in (off, on):
        assert (
            env["AWS_ENDPOINT_URL_DYNAMODB"] == env["AWS_ENDPOINT_URL_COGNITO_IDP"] == "http://127.0.0.1:5050"
        )
        assert "AWS_ENDPOINT_URL_BEDROCK_RUNTIME" not in env and len(env["PAGE_TOKEN_SECRET"]) >= 16
