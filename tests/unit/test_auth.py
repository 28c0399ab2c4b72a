"""Who is calling: the Authorization header, the caller named by claims, the group claim's forms."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.adapters.auth import AGENT_SCOPE, User, bearer_token, groups_claim, user_from_claims
from chalicelib.domain.errors import Forbidden, Unauthorized


@pytest.mark.parametrize(
    ("header", "token"),
    [("abc.def.ghi", "abc.def.ghi"), ("Bearer abc.def", "abc.def"), ("bearer  x.y", "x.y")],
)
def test_bearer_prefix_is_optional(header: str, token: str) -> None:
    assert bearer_token({"authorization": header}) == token


@pytest.mark.parametrize("headers", [{}, {"authorization": ""}, {"authorization": "Bearer "}])
def test_no_token_is_unauthorized(headers: dict[str, str]) -> None:
    with pytest.raises(Unauthorized):
        bearer_token(headers)


# The forms cognito:groups really takes: a list in a verified token; through API Gateway's Cognito
# authorizer a string, one group as its name and several between brackets, one space apart.
@pytest.mark.parametrize(
    ("claim", "groups"),
    [
        (["staff"], {"staff"}),
        (["admin", "staff"], {"admin", "staff"}),
        ([], set()),
        ("staff", {"staff"}),
        ("[staff]", {"staff"}),
        ("[staff admin]", {"staff", "admin"}),
        ("[admin staff]", {"admin", "staff"}),
        ("", set()),
        ("[]", set()),
        ("formerly,staff", {"formerly,staff"}),
        ("[x,staff]", {"x,staff"}),
        ("staff-lead", {"staff-lead"}),
        ("[staff", {"[staff"}),
        ("staff]", {"staff]"}),
        ("[[staff]]", {"[staff]"}),
        ('["staff"]', {'"staff"'}),
        (["x,staff"], {"x,staff"}),
    ],
)
def test_group_claims_in_the_forms_they_arrive_in(claim: Any, groups: set[str]) -> None:
    assert groups_claim(claim) == groups


@pytest.mark.parametrize("claim", [["staff"], "staff", "[staff]", "[staff admin]", "[admin staff]"])
def test_staff_in_every_form_the_gateway_or_a_verified_token_passes(claim: Any) -> None:
    user_from_claims({"cognito:username": "s", "cognito:groups": claim}).require_staff()


@pytest.mark.parametrize(
    "claim",
    [
        None,
        [],
        "",
        "staffing",
        "Staff",
        ["admins"],
        # other names that hold the word
        "formerly,staff",
        "admin,staff",
        "[x,staff]",
        "staff-lead",
        "[staff",
        "staff]",
        "[[staff]]",
        "[[staff] admin]",
        # JSON text is no form the authorizer passes
        '["staff"]',
        '["admin","staff"]',
        '{"staff": true}',
        # padding and doubled spaces are no form either: group names hold no whitespace
        " staff ",
        "staff ",
        "[ staff]",
        "[staff  admin]",
        "[staff\tadmin]",
        "staff\n",
        "[staff\u00a0admin]",
        # not a string, or a list of something else
        1,
        True,
        {"staff": True},
        ["staff", 1],
        [["staff"]],
        ["staff admin"],
        [" staff"],
        ["s" * 129, "staff"],
    ],
    ids=repr,
)
def test_anything_else_grants_no_write(claim: Any) -> None:
    with pytest.raises(Forbidden):
        user_from_claims({"cognito:username": "s", "cognito:groups": claim}).require_staff()


@pytest.mark.parametrize("claims", [None, {}, {"sub": "x"}])
def test_no_claims_is_unauthorized(claims: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        user_from_claims(claims)


@pytest.mark.parametrize(
    "claims",
    [None, {"cognito:username": "shopper"}, {"client_id": "c", "scope": "other"}, {"scope": AGENT_SCOPE}],
)
def test_gateway_claims_without_the_agents_scope_are_no_agent(claims: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        user_from_claims(claims, agent=True)


def test_an_agent_may_not_write() -> None:
    agent = user_from_claims({"client_id": "c", "scope": f"openid {AGENT_SCOPE}"}, agent=True)
    assert agent == User("agent:c", frozenset())
    with pytest.raises(Forbidden):
        agent.require_staff()
