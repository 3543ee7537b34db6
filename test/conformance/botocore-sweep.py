"""
Drives IAM and STS calls through boto3 against a fedsim endpoint, so that botocore parses every answer with
AWS's own service models, and reports per call what botocore made of it.

Usage: botocore-sweep.py ENDPOINT < calls.json

calls.json is a list of calls, run in order:
  {"id": "...", "service": "iam"|"sts", "operation": "CreateRole", "params": {...},
   "credentials": {"accessKeyId": "...", "secretAccessKey": "...", "sessionToken": "..."} | null (unsigned)}
A parameter value {"$ref": "ID.output.Path.To.Field"} is replaced by that field of an earlier call's output.

Prints one JSON list, one entry per call:
  status       "ok", "error" (an AWS error answer botocore parsed) or "parse-error" (botocore failed to read it)
  code, message, modeled   for errors: the code, its text, and whether the operation's model lists that code
  detail       for parse errors: the exception botocore raised
  resultWrapper            the <XResult> element AWS's model wraps the output in, or null
  hasResultElement         whether the answer had an <XResult> element
  unmodeled    elements in the answer that the output shape does not name (botocore drops them silently)
  missingRequired          members the output shape requires that the parsed output lacks
"""

import base64
import datetime
import json
import sys
import traceback
import xml.etree.ElementTree as ET

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.history import get_global_history_recorder


class LastResponse:
    """Keeps the raw body of the last HTTP answer, which botocore records before it parses it."""

    body = b""

    def emit(self, event_type, payload, source):
        if event_type == "HTTP_RESPONSE":
            LastResponse.body = payload.get("body") or b""


def json_safe(value):
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def local(tag):
    return tag.rsplit("}", 1)[-1]


def unmodeled_elements(element, shape, path, out):
    """Every element under `element` that `shape` does not name, as a path."""
    kind = shape.type_name
    if kind == "structure":
        members = {m.serialization.get("name", name): m for name, m in shape.members.items()}
        for child in element:
            tag = local(child.tag)
            if tag in members:
                unmodeled_elements(child, members[tag], f"{path}/{tag}", out)
            else:
                out.append(f"{path}/{tag}")
    elif kind == "list":
        name = shape.member.serialization.get("name", "member")
        for child in element:
            tag = local(child.tag)
            if tag == name:
                unmodeled_elements(child, shape.member, f"{path}/{tag}", out)
            else:
                out.append(f"{path}/{tag}")
    elif kind != "map" and len(element) > 0:
        out.append(f"{path} (elements where the model has a {kind})")


def missing_required(value, shape, path, out):
    """Required members of `shape` (recursively) absent from the parsed `value`."""
    if shape.type_name == "structure" and isinstance(value, dict):
        for name in shape.required_members:
            if name not in value:
                out.append(f"{path}/{name}")
        for name, member in shape.members.items():
            if name in value:
                missing_required(value[name], member, f"{path}/{name}", out)
    elif shape.type_name == "list" and isinstance(value, list):
        for i, item in enumerate(value):
            missing_required(item, shape.member, f"{path}[{i}]", out)


def resolve(value, results):
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            call_id, *path = value["$ref"].split(".")
            found = results[call_id]
            for key in path:
                found = found[int(key)] if isinstance(found, list) else found[key]
            return found
        return {k: resolve(v, results) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, results) for v in value]
    return value


def main():
    endpoint = sys.argv[1]
    calls = json.load(sys.stdin)
    recorder = get_global_history_recorder()
    recorder.enable()
    recorder.add_handler(LastResponse())
    session = boto3.session.Session(region_name="us-east-1")
    clients = {}

    def client_for(service, credentials):
        key = (service, json.dumps(credentials, sort_keys=True))
        if key not in clients:
            config = Config(retries={"max_attempts": 1})
            if credentials is None:
                config = config.merge(Config(signature_version=botocore.UNSIGNED))
                clients[key] = session.client(service, endpoint_url=endpoint, config=config)
            else:
                clients[key] = session.client(
                    service,
                    endpoint_url=endpoint,
                    config=config,
                    aws_access_key_id=credentials["accessKeyId"],
                    aws_secret_access_key=credentials["secretAccessKey"],
                    aws_session_token=credentials.get("sessionToken"),
                )
        return clients[key]

    results = {}
    report = []
    for call in calls:
        client = client_for(call["service"], call.get("credentials"))
        model = client.meta.service_model.operation_model(call["operation"])
        output_shape = model.output_shape
        wrapper = output_shape.serialization.get("resultWrapper") if output_shape is not None else None
        entry = {"id": call["id"], "operation": call["operation"], "resultWrapper": wrapper}
        LastResponse.body = b""
        try:
            params = resolve(call.get("params", {}), results)
            method = getattr(client, botocore.xform_name(call["operation"]))
            output = method(**params)
            entry["status"] = "ok"
            entry["output"] = json_safe(output)
            results[call["id"]] = {"output": entry["output"]}
            out = []
            if output_shape is not None:
                missing_required(output, output_shape, call["operation"], out)
            entry["missingRequired"] = out
        except ClientError as error:
            err = error.response.get("Error", {})
            codes = {s.metadata.get("error", {}).get("code", s.name) for s in model.error_shapes}
            entry.update(
                status="error",
                code=err.get("Code"),
                message=err.get("Message"),
                modeled=err.get("Code") in codes,
                httpStatus=error.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            )
            results[call["id"]] = {"error": {"code": err.get("Code"), "message": err.get("Message")}}
        except Exception as error:  # anything else is botocore failing to read the answer
            entry.update(status="parse-error", detail=f"{type(error).__name__}: {error}")
            entry["trace"] = traceback.format_exc(limit=3)
        entry["hasResultElement"] = False
        entry["unmodeled"] = []
        if LastResponse.body:
            try:
                root = ET.fromstring(LastResponse.body)
                result = next((c for c in root if local(c.tag) == f"{call['operation']}Result"), None)
                entry["hasResultElement"] = result is not None
                if result is not None and output_shape is not None and entry["status"] == "ok":
                    unmodeled_elements(result, output_shape, call["operation"], entry["unmodeled"])
            except ET.ParseError as error:
                entry.update(status="parse-error", detail=f"not well-formed XML: {error}")
        report.append(entry)
    json.dump(report, sys.stdout)


main()
