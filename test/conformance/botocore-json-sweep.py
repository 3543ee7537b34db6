"""
Drives AWS JSON 1.1 calls (Cognito Identity) through boto3 against a fedsim endpoint, so that botocore parses
every answer with AWS's own service model, and reports per call what botocore made of it.

Usage: botocore-json-sweep.py ENDPOINT SERVICE < calls.json

calls.json is a list of calls, run in order:
  {"id": "...", "operation": "CreateIdentityPool", "params": {...},
   "credentials": {"accessKeyId": "...", "secretAccessKey": "..."} | null (unsigned)}
A parameter value {"$ref": "ID.output.Path.To.Field"} is replaced by that field of an earlier call's output
(ID without dots).

Prints one JSON list, one entry per call:
  status       "ok", "error" (an AWS error answer botocore parsed) or "parse-error" (botocore failed to read it)
  code, message, modeled   for errors: the code, its text, and whether the operation's model lists that code
  detail       for parse errors: the exception botocore raised
  unmodeled    members of the answer's JSON that the output shape does not name (botocore drops them silently)
  missingRequired          members the output shape requires that the parsed output lacks
"""

import base64
import datetime
import json
import sys
import traceback

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.history import get_global_history_recorder


class LastResponse:
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


def unmodeled_members(value, shape, path, out):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            out.append(f"{path} (a {type(value).__name__} where the model has a structure)")
            return
        for key, child in value.items():
            if key in shape.members:
                unmodeled_members(child, shape.members[key], f"{path}/{key}", out)
            else:
                out.append(f"{path}/{key}")
    elif kind == "list":
        if not isinstance(value, list):
            out.append(f"{path} (not a list)")
            return
        for i, item in enumerate(value):
            unmodeled_members(item, shape.member, f"{path}[{i}]", out)
    elif kind == "map":
        if not isinstance(value, dict):
            out.append(f"{path} (not a map)")
            return
        for key, item in value.items():
            unmodeled_members(item, shape.value, f"{path}/{key}", out)


def missing_required(value, shape, path, out):
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
    endpoint, service = sys.argv[1], sys.argv[2]
    calls = json.load(sys.stdin)
    recorder = get_global_history_recorder()
    recorder.enable()
    recorder.add_handler(LastResponse())
    session = boto3.session.Session(region_name="us-east-1")
    clients = {}

    def client_for(credentials):
        key = json.dumps(credentials, sort_keys=True)
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
                )
        return clients[key]

    results = {}
    report = []
    for call in calls:
        client = client_for(call.get("credentials"))
        model = client.meta.service_model.operation_model(call["operation"])
        output_shape = model.output_shape
        entry = {"id": call["id"], "operation": call["operation"], "unmodeled": [], "missingRequired": []}
        LastResponse.body = b""
        try:
            params = resolve(call.get("params", {}), results)
            output = getattr(client, botocore.xform_name(call["operation"]))(**params)
            entry["status"] = "ok"
            entry["output"] = json_safe(output)
            results[call["id"]] = {"output": entry["output"]}
            if output_shape is not None:
                missing_required(output, output_shape, call["operation"], entry["missingRequired"])
                raw = json.loads(LastResponse.body or b"{}")
                unmodeled_members(raw, output_shape, call["operation"], entry["unmodeled"])
        except ClientError as error:
            err = error.response.get("Error", {})
            codes = {s.metadata.get("error", {}).get("code", s.name) for s in model.error_shapes}
            entry.update(
                status="error",
                code=err.get("Code"),
                message=err.get("Message"),
                modeled=err.get("Code") in codes,
            )
            results[call["id"]] = {"error": {"code": err.get("Code"), "message": err.get("Message")}}
        except Exception as error:  # anything else is botocore failing to read the answer
            entry.update(status="parse-error", detail=f"{type(error).__name__}: {error}")
            entry["trace"] = traceback.format_exc(limit=3)
        report.append(entry)
    json.dump(report, sys.stdout)


main()
