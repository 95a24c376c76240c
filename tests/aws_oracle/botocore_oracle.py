#!/usr/bin/env python3
"""botocore as an offline oracle for tenantshift's AWS requests (tests/aws_oracle).

Uses the AWS service models, serializers, parsers and SigV4 signer of Debian's python3-botocore;
no network, no credentials beyond the fixed test keys. Three functions:

build(spec)  what botocore would send for {service, operation, params} with the given region,
             endpoint, keys, session token and x-amz-date: method, url, path, query, headers,
             body (+ body_form / body_json), and its Authorization ("botocore"); with
             "sign_headers", the same request signed over exactly those header names
             ("restricted": tenantshift's choice of signed headers over botocore's bytes).
             The request is taken from a before-send hook that raises, so nothing is sent.
verify(spec) recomputes the SigV4 signature of a captured request over its own SignedHeaders,
             date and scope with botocore's SigV4Auth/S3SigV4Auth, and lists problems: a
             signature mismatch, a sent but unsigned header that must be signed, an
             x-amz-content-sha256 that is not the body's hash, a scope mismatch.
parse(spec)  botocore's parse of a response body with the operation's output shape (plus the
             S3 ListObjectsV2 key decoding botocore applies when it asked for encoding-type=url).
"""

import base64
import datetime as _real_datetime
import hashlib
import json
import sys
from urllib.parse import parse_qsl, urlsplit

import botocore
import botocore.auth
import botocore.session
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"


class _Captured(BaseException):
    """Raised from before-send so botocore never opens a socket (BaseException: not retried)."""

    def __init__(self, request):
        super().__init__("captured")
        self.request = request


class _FrozenClock:
    """Replaces botocore.auth.datetime so SigV4Auth.add_auth signs at a fixed instant."""

    def __init__(self, when):
        frozen = when

        class _DT(_real_datetime.datetime):
            @classmethod
            def utcnow(cls):
                return frozen

            @classmethod
            def now(cls, tz=None):
                return frozen if tz is None else frozen.replace(tzinfo=tz)

        self.datetime = _DT
        self.timedelta = _real_datetime.timedelta
        self.timezone = _real_datetime.timezone


def _text(body):
    if body is None:
        return ""
    if hasattr(body, "read"):
        pos = body.tell()
        data = body.read()
        body.seek(pos)
        body = data
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(body).decode("ascii")
    return str(body)


def _body_bytes(body):
    if body is None:
        return b""
    if hasattr(body, "read"):
        pos = body.tell()
        data = body.read()
        body.seek(pos)
        return data
    return body if isinstance(body, bytes) else str(body).encode("utf-8")


def _sign(auth_cls, creds, service, region, method, url, headers, body, amz_date):
    """SigV4 over exactly `headers` (a list of (name, value)), signing time `amz_date`."""
    req = AWSRequest(method=method, url=url, headers=None, data=_body_bytes(body))
    for name, value in headers:
        req.headers[name] = value
    req.context["timestamp"] = amz_date
    signer = auth_cls(creds, service, region)
    canonical = signer.canonical_request(req)
    sts = signer.string_to_sign(req, canonical)
    sig = signer.signature(sts, req)
    signed = signer.signed_headers(signer.headers_to_sign(req))
    auth = (
        f"AWS4-HMAC-SHA256 Credential={signer.scope(req)}, "
        f"SignedHeaders={signed}, Signature={sig}"
    )
    return {
        "signed_headers": signed,
        "canonical_request": canonical,
        "string_to_sign": sts,
        "authorization": auth,
    }


def _auth_class(signing_service):
    return botocore.auth.S3SigV4Auth if signing_service == "s3" else botocore.auth.SigV4Auth


def build(spec):
    service = spec["service"]
    operation = spec["operation"]
    region = spec.get("region", "us-east-1")
    endpoint = spec.get("endpoint") or None
    amz_date = spec.get("amz_date", "20150830T123600Z")
    when = _real_datetime.datetime.strptime(amz_date, SIGV4_TIMESTAMP)

    s3_cfg = {"addressing_style": spec.get("s3_addressing_style", "path")}
    if "s3_payload_signing" in spec:
        s3_cfg["payload_signing_enabled"] = bool(spec["s3_payload_signing"])
    else:
        s3_cfg["payload_signing_enabled"] = True  # what tenantshift does (NOTES.md)
    config = Config(
        region_name=region,
        signature_version="s3v4" if service == "s3" else "v4",
        s3=s3_cfg,
        retries={"max_attempts": 1, "mode": "standard"},
        parameter_validation=True,
    )
    session = botocore.session.get_session()
    session.set_credentials(
        spec.get("access_key", "AKID"), spec.get("secret_key", "SECRET"), spec.get("session_token")
    )
    client = session.create_client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=spec.get("access_key", "AKID"),
        aws_secret_access_key=spec.get("secret_key", "SECRET"),
        aws_session_token=spec.get("session_token") or None,
        config=config,
    )

    def capture(request, **_):
        raise _Captured(request)

    client.meta.events.register_first("before-send", capture)
    model = client.meta.service_model
    op_model = model.operation_model(operation)
    method_name = botocore.xform_name(operation)

    # botocore <= 1.3x calls datetime.datetime.utcnow() in auth.py; newer ones call
    # botocore.compat.get_current_datetime() imported into auth.py. Freeze both.
    saved = botocore.auth.datetime
    saved_gcd = getattr(botocore.auth, "get_current_datetime", None)
    botocore.auth.datetime = _FrozenClock(when)
    if saved_gcd is not None:
        botocore.auth.get_current_datetime = lambda remove_tzinfo=True: (
            when if remove_tzinfo else when.replace(tzinfo=_real_datetime.timezone.utc))
    try:
        getattr(client, method_name)(**spec.get("params", {}))
        raise RuntimeError("botocore sent nothing")  # pragma: no cover
    except _Captured as c:
        prepared = c.request
    finally:
        botocore.auth.datetime = saved
        if saved_gcd is not None:
            botocore.auth.get_current_datetime = saved_gcd
    if prepared.headers.get("X-Amz-Date") not in (amz_date, amz_date.encode()):
        raise RuntimeError("could not freeze botocore's signing clock")

    parts = urlsplit(prepared.url)
    headers = {}
    for k, v in prepared.headers.items():
        headers[k.lower()] = v.decode("utf-8") if isinstance(v, bytes) else v
    body = _text(prepared.body)
    out = {
        "service": service,
        "operation": operation,
        "protocol": model.metadata.get("protocol"),
        "botocore_version": botocore.__version__,
        "method": prepared.method,
        "url": prepared.url,
        "host": parts.netloc,
        "path": parts.path,
        "query_raw": parts.query,
        "query": [list(p) for p in parse_qsl(parts.query, keep_blank_values=True)],
        "headers": headers,
        "body": body,
        "body_sha256": hashlib.sha256(_body_bytes(prepared.body)).hexdigest(),
        "signing": {
            "service": model.signing_name,
            "region": region,
            "amz_date": amz_date,
        },
    }
    if model.metadata.get("protocol") in ("query", "ec2"):
        out["body_form"] = [list(p) for p in parse_qsl(body, keep_blank_values=True)]
    if model.metadata.get("protocol") in ("json", "rest-json") and body:
        out["body_json"] = json.loads(body)
    if op_model.input_shape is not None and op_model.http.get("requestUri"):
        out["request_uri_template"] = op_model.http.get("requestUri")

    creds = Credentials(
        spec.get("access_key", "AKID"), spec.get("secret_key", "SECRET"), spec.get("session_token")
    )
    auth_cls = _auth_class(model.signing_name)
    pairs = [(k, v) for k, v in headers.items() if k != "authorization"]
    if "host" not in headers:
        pairs.append(("host", parts.netloc))
    # botocore signs before it adds amz-sdk-*, content-length and user-agent: its own signed
    # set is the one named in the Authorization it produced.
    own = _parse_authorization(headers["authorization"])["signed_headers"]
    sig = _sign(auth_cls, creds, model.signing_name, region, prepared.method, prepared.url,
                [(k, v) for k, v in pairs if k in own], prepared.body, amz_date)
    if sig["authorization"] != headers["authorization"]:
        raise RuntimeError("oracle re-signing does not reproduce botocore's own Authorization")
    out["botocore"] = sig
    if spec.get("sign_headers"):
        wanted = {h.lower() for h in spec["sign_headers"]}
        kept = [(k, v) for k, v in pairs if k in wanted]
        out["restricted"] = _sign(auth_cls, creds, model.signing_name, region, prepared.method,
                                  prepared.url, kept, prepared.body, amz_date)
        out["restricted"]["missing_in_botocore"] = sorted(wanted - {k for k, _ in kept})
    return out


def _parse_authorization(value):
    if not value.startswith("AWS4-HMAC-SHA256 "):
        raise ValueError("not an AWS4-HMAC-SHA256 Authorization header")
    fields = {}
    for item in value[len("AWS4-HMAC-SHA256 "):].split(","):
        k, _, v = item.strip().partition("=")
        fields[k] = v
    key, date, region, service, term = fields["Credential"].split("/")
    return {
        "access_key": key, "date": date, "region": region, "service": service, "term": term,
        "signed_headers": fields["SignedHeaders"].split(";"), "signature": fields["Signature"],
    }


# Headers a SigV4 request must sign when present (AWS SigV4 docs; botocore signs all of them).
MUST_SIGN = {"host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
             "x-amz-target", "content-type", "content-md5"}


def verify(spec):
    req = spec["request"]
    headers = {k.lower(): v for k, v in req["headers"].items()}
    auth = _parse_authorization(headers["authorization"])
    body_hash = req.get("body_sha256")  # for bodies too big to pass (S3 parts)
    if "body_b64" in req:
        body = base64.b64decode(req["body_b64"])
    else:
        body = req.get("body", "").encode("utf-8")
    if body_hash is None:
        body_hash = hashlib.sha256(body).hexdigest()
    elif auth["service"] != "s3" and hashlib.sha256(body).hexdigest() != body_hash:
        raise ValueError("non-S3 verify needs the whole body (the payload hash is not a header)")
    problems = []
    if auth["access_key"] != spec.get("access_key", auth["access_key"]):
        problems.append(f"access key {auth['access_key']} is not {spec['access_key']}")
    if "region" in spec and auth["region"] != spec["region"]:
        problems.append(f"scope region {auth['region']} is not {spec['region']}")
    if "service" in spec and auth["service"] != spec["service"]:
        problems.append(f"scope service {auth['service']} is not {spec['service']}")
    amz_date = headers.get("x-amz-date", "")
    if amz_date[:8] != auth["date"]:
        problems.append(f"scope date {auth['date']} does not match x-amz-date {amz_date}")
    for h in sorted(MUST_SIGN & set(headers)):
        if h not in auth["signed_headers"]:
            problems.append(f"header {h} is sent but not signed")
    missing = [h for h in auth["signed_headers"] if h not in headers]
    if missing:
        problems.append(f"signed headers not present in the request: {missing}")
    if auth["service"] == "s3":
        declared = headers.get("x-amz-content-sha256")
        actual = body_hash
        if declared is None:
            problems.append("S3 request without x-amz-content-sha256")
        elif declared not in ("UNSIGNED-PAYLOAD", actual):
            problems.append(f"x-amz-content-sha256 {declared} is not the body's hash {actual}")
    query = req.get("query", "")
    url = "http://" + headers.get("host", "localhost") + req["path"] + ("?" + query if query else "")
    creds = Credentials(auth["access_key"], spec["secret_key"], spec.get("session_token"))
    pairs = [(h, headers[h]) for h in auth["signed_headers"] if h in headers]
    sig = _sign(_auth_class(auth["service"]), creds, auth["service"], auth["region"],
                req["method"], url, pairs, body, amz_date)
    if sig["authorization"] != headers["authorization"]:
        problems.append("Authorization differs from botocore's signature over the same headers")
    return {
        "ok": not problems,
        "problems": problems,
        "captured_authorization": headers["authorization"],
        "expected_authorization": sig["authorization"],
        "canonical_request": sig["canonical_request"],
        "string_to_sign": sig["string_to_sign"],
    }


def parse(spec):
    """botocore's parse of a response body with the operation's documented output shape."""
    import botocore.parsers
    session = botocore.session.get_session()
    model = session.get_service_model(spec["service"])
    op = model.operation_model(spec["operation"])
    parser = botocore.parsers.create_parser(model.metadata["protocol"])
    body = spec.get("body", "").encode("utf-8")
    parsed = parser.parse(
        {"status_code": spec.get("status", 200), "headers": spec.get("headers", {}),
         "body": body}, op.output_shape)
    parsed.pop("ResponseMetadata", None)
    if spec["service"] == "s3" and spec["operation"] == "ListObjectsV2":
        # botocore always asks for encoding-type=url and then decodes the keys itself.
        import botocore.handlers
        botocore.handlers.decode_list_object_v2(parsed, {"encoding_type_auto_set": True})
    return json.loads(json.dumps(parsed, default=str))
