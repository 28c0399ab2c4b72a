"""The alarm on the keyword-fallback rate and the encrypted topic it notifies."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import telemetry
from infra.resources.audit import KEY
from infra.resources.stage_config import stage_environment

# The alarm: more than this share of the questions Bedrock was asked answered by the keyword
# fallback instead, in 2 of 3 five-minute periods with at least MIN_QUESTIONS such questions (a quiet
# hour's one failure is noise).
FALLBACK_RATE_THRESHOLD = 0.2
MIN_QUESTIONS = 10


def alarm_resources(stage: str) -> dict[str, Any]:
    topic = {
        "Type": "AWS::SNS::Topic",
        "Properties": {
            "TopicName": f"petstore-{stage}-alarms",
            "KmsMasterKeyId": {"Fn::GetAtt": [KEY, "Arn"]},
        },
    }
    return {"AlarmTopic": topic, "FallbackRateAlarm": fallback_alarm(stage)}


def fallback_alarm(stage: str) -> dict[str, Any]:
    """Fallbacks is 0 or 1 per question Bedrock was asked (chalicelib.adapters.telemetry), so its
    average is the fallback rate."""
    metric = {
        "Namespace": telemetry.NAMESPACE,
        "MetricName": telemetry.FALLBACKS,
        "Dimensions": [{"Name": "service", "Value": stage_environment(stage)["POWERTOOLS_SERVICE_NAME"]}],
    }
    return {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "AlarmName": f"petstore-{stage}-fallback-rate",
            "AlarmDescription": (
                f"Over {FALLBACK_RATE_THRESHOLD:.0%} of the questions Bedrock was asked answered by the "
                "keyword fallback: Bedrock is failing (see the Fallbacks metric by Reason)."
            ),
            "Metrics": [
                {
                    "Id": "rate",
                    "MetricStat": {"Metric": metric, "Period": 300, "Stat": "Average"},
                    "ReturnData": False,
                },
                {
                    "Id": "questions",
                    "MetricStat": {"Metric": metric, "Period": 300, "Stat": "SampleCount"},
                    "ReturnData": False,
                },
                {
                    "Id": "guarded",
                    "Expression": f"IF(questions >= {MIN_QUESTIONS}, rate, 0)",
                    "Label": "Fallback rate",
                    "ReturnData": True,
                },
            ],
            "ComparisonOperator": "GreaterThanThreshold",
            "Threshold": FALLBACK_RATE_THRESHOLD,
            "EvaluationPeriods": 3,
            "DatapointsToAlarm": 2,
            "TreatMissingData": "notBreaching",
            "AlarmActions": [{"Ref": "AlarmTopic"}],
            "OKActions": [{"Ref": "AlarmTopic"}],
        },
    }
