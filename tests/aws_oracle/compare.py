#!/usr/bin/env python3
"""The AWS request oracle (issue 13): every request tenantshift sends, checked against botocore.

compare.py requests CAPTURE_BIN ACCEPTED_JSON
    Runs CAPTURE_BIN (tests/aws_oracle/capture_requests.cc), which sends every AWS operation
    tenantshift performs to a local server, and for each captured request builds the same
    operation with botocore (same parameters, keys, session token, region, endpoint and
    x-amz-date) and compares:
      - method, path (byte for byte: the percent-encoding is part of the signature), query;
      - the body: parsed form pairs (Query), JSON value (JSON 1.1), XML text, or bytes;
      - the headers that matter (HEADERS below);
      - Authorization: botocore's signer over the captured bytes must reproduce the captured
        header (verify), and where tenantshift's signed bytes equal botocore's the two
        Authorization headers must be equal byte for byte;
      - the answer: botocore's parse of the same canned response (the operation's documented
        output shape) must give what tenantshift parsed.
    A difference fails unless ACCEPTED_JSON lists it (operation, check, values) with a reason.
compare.py operations CAPTURE_BIN SRC_DIR
    Fails when src/ performs an AWS operation the capture does not cover, or builds AWS requests
    in a file the scan does not know (so a new call cannot slip past the oracle).
Run with Debian's interpreter (/usr/bin/python3), whose python3-botocore is the oracle.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import botocore  # noqa: E402
import botocore.session  # noqa: E402
import botocore_oracle  # noqa: E402

# Headers compared by value whenever either side sends one. SDK bookkeeping (user-agent,
# amz-sdk-*, content-length, accept, expect) is not compared.
HEADERS = ["content-type", "content-md5", "x-amz-target", "x-amz-content-sha256",
           "x-amz-security-token", "range", "x-amz-checksum-crc32",
           "x-amz-sdk-checksum-algorithm", "content-encoding"]
# Operations whose answers tenantshift reads (besides status and headers).
PARSED = {"ListObjectsV2", "GetSecretValue", "DescribeClusters", "GetWorkgroup", "GetNamespace",
          "DescribeStacks"}
TOKEN_RE = re.compile(r"^[A-Za-z0-9-]{32,64}$")


def capture(binary):
    with tempfile.TemporaryDirectory() as d:
        out = pathlib.Path(d) / "captured.json"
        p = subprocess.run([binary, str(out)], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"capture failed ({p.returncode}):\n{p.stderr}")
        return json.loads(out.read_text())


def expand(params):
    """{"repeat": "x", "n": N} stands for a large body of N times "x"."""
    out = dict(params)
    body = out.get("Body")
    if isinstance(body, dict) and "repeat" in body:
        out["Body"] = body["repeat"] * body["n"]
    return out


def idempotency_members(service, operation):
    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    if shape is None:
        return []
    return [n for n, m in shape.members.items() if m.metadata.get("idempotencyToken")]


def body_view(protocol, body, tokens):
    """The body as compared: Query forms as sorted pairs, JSON as a value (idempotency tokens
    checked for shape, then left out: both sides draw them at random), XML and bytes as text."""
    if not body:
        return "", []
    problems = []
    if protocol == "query":
        return sorted(parse_qsl(body, keep_blank_values=True)), problems
    if protocol == "json":
        doc = json.loads(body)
        for t in tokens:
            value = doc.pop(t, None)
            if value is None or not TOKEN_RE.match(value):
                problems.append(f"{t} {value!r} is not a 32-64 character token")
        return doc, problems
    return body, problems


def signed_header_names(authorization):
    return authorization.split("SignedHeaders=")[1].split(",")[0].split(";")


def find_accepted(accepted, operation, check, ts, bc):
    for a in accepted:
        if a["check"] != check or a.get("operation", "*") not in ("*", operation):
            continue
        if "tenantshift" in a and a["tenantshift"] != ts:
            continue
        if "botocore" in a and a["botocore"] != bc:
            continue
        return a
    return None


def request_diffs(r, b, protocol):
    """(check, tenantshift value, botocore value) for each difference, and whether every byte
    that goes into the signature is the same on both sides."""
    w = r["wire"]
    diffs = []
    if w["method"] != b["method"]:
        diffs.append(("method", w["method"], b["method"]))
    if w["headers"].get("host") != b["host"]:
        diffs.append(("host", w["headers"].get("host"), b["host"]))
    if w["path"] != b["path"]:
        diffs.append(("path", w["path"], b["path"]))
    q_ts = sorted(parse_qsl(w["query"], keep_blank_values=True))
    q_bc = sorted(tuple(p) for p in b["query"])
    if q_ts != q_bc:
        diffs.append(("query", q_ts, q_bc))
    tokens = idempotency_members(r["service"], r["operation"])
    if w["body_truncated"]:
        if w["body_sha256"] != b["body_sha256"]:
            diffs.append(("body sha256", w["body_sha256"], b["body_sha256"]))
    else:
        vt, pt = body_view(protocol, w["body"], tokens)
        vb, pb = body_view(protocol, b["body"], tokens)
        diffs += [("idempotency token", p, None) for p in pt]
        if vt != vb:
            diffs.append(("body", vt, vb))
    body_differs = any(d[0] == "body" for d in diffs)
    for h in HEADERS:
        tv, bv = w["headers"].get(h), b["headers"].get(h)
        # Different bodies hash differently; verify() checks the hash is the body's own.
        if tv != bv and not (body_differs and h in ("x-amz-content-sha256", "content-md5")):
            diffs.append((f"header {h}", tv, bv))
    return diffs


def same_signed_bytes(r, b):
    w = r["wire"]
    if w["method"] != b["method"] or w["path"] != b["path"]:
        return False
    if w["body_sha256"] != b["body_sha256"]:
        return False
    canon = lambda q: sorted(p if "=" in p else p + "=" for p in q.split("&") if p)  # noqa: E731
    if canon(w["query"]) != canon(b["query_raw"]):
        return False
    return all(w["headers"].get(h) == b["headers"].get(h)
               for h in signed_header_names(w["headers"]["authorization"]))


def parsed_diffs(r, parsed):
    """What tenantshift read from the answer vs botocore's parse of the same bytes."""
    mine = r.get("tenantshift_parsed")
    if mine is None:
        return []
    op = r["operation"]
    if op == "ListObjectsV2":  # the last page's entry carries every page's keys
        theirs = [{"Key": c["Key"], "Size": c["Size"], "ETag": c["ETag"]}
                  for page in parsed for c in page.get("Contents", [])]
        return [] if theirs == mine["Contents"] else [("parsed Contents", mine, theirs)]
    p = parsed[-1]
    if op == "GetSecretValue":
        ok = p.get("SecretString") == mine["SecretString"]
        return [] if ok else [("parsed SecretString", "(differs)", "(differs)")]
    if op == "GetObject":
        return []  # a streamed body: the bytes are the answer's (checked in s3_test.cc)
    if op == "DescribeStacks":
        st = p["Stacks"][0]
        theirs = {"StackStatus": st["StackStatus"],
                  "Parameters": [{"ParameterKey": x["ParameterKey"],
                                  "ParameterValue": x.get("ParameterValue", "")}
                                 for x in st.get("Parameters", [])],
                  "Capabilities": st.get("Capabilities", [])}
        return [] if theirs == mine else [("parsed Stack", mine, theirs)]
    if op == "DescribeClusters":
        roles = [{"arn": x["IamRoleArn"], "status": x.get("ApplyStatus", "")}
                 for x in p["Clusters"][0].get("IamRoles", [])]
        return [] if roles == mine["roles"] else [("parsed IamRoles", mine["roles"], roles)]
    if op == "GetNamespace":
        ns = p["namespace"]
        want_default = ns.get("defaultIamRoleArn", "")
        # iamRoles are strings "IamRole(applyStatus=..., iamRoleArn=...)" in the model.
        strings = ns.get("iamRoles", [])
        roles = []
        for s in strings:
            m = re.search(r"iamRoleArn=([^,)]+)", s)
            st = re.search(r"applyStatus=([^,)]+)", s)
            roles.append({"arn": m.group(1) if m else s, "status": st.group(1) if st else ""})
        diffs = []
        if mine["default_role"] != want_default:
            diffs.append(("parsed defaultIamRoleArn", mine["default_role"], want_default))
        if mine["roles"] != roles:
            diffs.append(("parsed iamRoles", mine["roles"], roles))
        return diffs
    return []


def run_requests(binary, accepted_path):
    accepted = json.loads(pathlib.Path(accepted_path).read_text())["accepted"]
    used = set()
    failures = 0
    total = byte_equal = 0
    doc = capture(binary)
    print(f"botocore {botocore.__version__} ({botocore.__file__})")
    for run in doc["runs"]:
        print(f"-- run {'with' if run['session_token'] else 'without'} a session token")
        parse_pages = []
        for r in run["requests"]:
            w = r["wire"]
            total += 1
            spec = {
                "service": r["service"], "operation": r["operation"],
                "params": expand(r["params"]), "region": run["region"],
                "endpoint": r.get("endpoint", run["endpoint"]),
                "access_key": run["access_key"], "secret_key": run["secret_key"],
                "session_token": run["session_token"],
                "amz_date": w["headers"]["x-amz-date"],
                "sign_headers": signed_header_names(w["headers"]["authorization"]),
                "s3_addressing_style": r.get("s3_addressing_style", "path"),
            }
            b = botocore_oracle.build(spec)
            req = {"method": w["method"], "path": w["path"], "query": w["query"],
                   "headers": w["headers"]}
            if w["body_truncated"]:
                req["body_sha256"] = w["body_sha256"]
            else:
                req["body"] = w["body"]
            v = botocore_oracle.verify({"access_key": run["access_key"],
                                        "secret_key": run["secret_key"],
                                        "session_token": run["session_token"],
                                        "region": run["region"], "request": req})
            diffs = request_diffs(r, b, b["protocol"])
            if not v["ok"]:
                diffs += [("signature", p, None) for p in v["problems"]]
            same = same_signed_bytes(r, b)
            auth_equal = w["headers"]["authorization"] == b["restricted"]["authorization"]
            if same and not auth_equal:
                diffs.append(("Authorization", w["headers"]["authorization"],
                              b["restricted"]["authorization"]))
            byte_equal += auth_equal
            parsed = botocore_oracle.parse({"service": r["service"], "operation": r["operation"],
                                            "status": r["response"]["status"],
                                            "body": r["response"]["body"]}) \
                if r["operation"] in PARSED else {}
            parse_pages.append(parsed)
            if "tenantshift_parsed" in r:
                diffs += parsed_diffs(r, parse_pages if r["operation"] == "ListObjectsV2"
                                      else [parsed])
                parse_pages = []
            elif r["operation"] != "ListObjectsV2":
                parse_pages = []
            bad = []
            notes = []
            for check, tv, bv in diffs:
                a = find_accepted(accepted, r["operation"], check, tv, bv)
                if a is None:
                    bad.append(f"{check}: tenantshift {tv!r} != botocore {bv!r}")
                else:
                    used.add(accepted.index(a))
                    notes.append(f"accepted [{a['id']}] {check}")
            status = "FAIL" if bad else "ok"
            sig = "Authorization == botocore" if auth_equal else (
                "signature verified" if v["ok"] else "SIGNATURE INVALID")
            print(f"{status:<4} {r['service']:<20} {r['operation']:<24} {sig}")
            for line in bad:
                print("       - " + line)
            for line in notes:
                print("       . " + line)
            failures += bool(bad)
    for i, a in enumerate(accepted):
        if i not in used:
            print(f"note: accepted difference [{a['id']}] did not occur (botocore "
                  f"{botocore.__version__}); keep it only if another botocore needs it")
    print(f"{total} requests compared, {byte_equal} with Authorization byte-equal to botocore's, "
          f"{failures} failing")
    return 1 if failures else 0


# ---- operations ----

# Files that may build AWS requests; any other production file that does fails the check.
KNOWN_FILES = {
    "aws/aws_http.h", "aws/aws_http.cc", "aws/aws_service.h", "aws/aws_service.cc",
    "aws/s3.h", "aws/s3.cc", "aws/secrets_manager.cc", "aws/redshift_iam.cc", "aws/ssm.cc",
    "aws/cloudformation.cc",
    # Unsigned HTTP to the container credentials endpoint and EC2 instance metadata: no AWS
    # API operation, nothing for botocore to serialize (credentials_test.cc covers them).
    "aws/credentials.cc",
}
REQUEST_MARKERS = re.compile(r"\bAwsRequest\b|\bCallJson11\(|\bCallQuery\(|\bcurl_easy_init\b")
JSON_PREFIXES = {"secretsmanager": "secretsmanager", "RedshiftServerless": "redshift-serverless",
                 "AmazonSSM": "ssm", "AWSSecurityTokenServiceV20110615": "sts",
                 "CloudFormation": "cloudformation"}


def s3_operation(method, key, query, lists_v2):
    """The S3 operation of S3Client::Request(method, bucket, key, query) (argument source text).
    `lists_v2`: the file builds "list-type=2" queries (a bucket-level GET is then ListObjectsV2)."""
    bucket_level = key.strip() == '""'
    q = query.strip()
    rules = [
        (method == "GET" and bucket_level and lists_v2, "ListObjectsV2"),
        (method == "POST" and bucket_level and '"delete="' in q, "DeleteObjects"),
        (method == "GET" and not bucket_level and q == '""', "GetObject"),
        (method == "PUT" and not bucket_level and q == '""', "PutObject"),
        (method == "POST" and '"uploads="' in q, "CreateMultipartUpload"),
        (method == "PUT" and '"partNumber"' in q, "UploadPart"),
        (method == "POST" and '"uploadId"' in q, "CompleteMultipartUpload"),
        (method == "DELETE" and '"uploadId"' in q, "AbortMultipartUpload"),
    ]
    for cond, op in rules:
        if cond:
            return op
    return None


def operations_in(src):
    ops, problems = set(), []
    for f in sorted(src.rglob("*")):
        if f.suffix not in (".cc", ".h") or f.name.endswith("_test.cc") or "testing" in f.parts:
            continue
        rel = str(f.relative_to(src))
        text = f.read_text(errors="replace")
        if REQUEST_MARKERS.search(text) and rel not in KNOWN_FILES:
            problems.append(f"{rel} builds AWS requests: add its operations to "
                            "tests/aws_oracle (capture_requests.cc) and to KNOWN_FILES")
        query_service = "cloudformation" if rel == "aws/cloudformation.cc" else "redshift"
        for m in re.finditer(r'\{"Action",\s*"(\w+)"\}', text):
            ops.add((query_service, m.group(1)))  # the Query-protocol clients
        for m in re.finditer(r'"(' + "|".join(JSON_PREFIXES) + r')\.(\w+)"', text):
            ops.add((JSON_PREFIXES[m.group(1)], m.group(2)))
        if rel == "aws/s3.cc":
            if re.search(r'"[Rr]ange"', text):
                ops.add(("s3", "GetObject with Range"))
            for m in re.finditer(r'Request\(\s*"(\w+)",\s*([^,]+),\s*([^,]+),\s*([^;]*?)\)\s*[;,)]',
                                 text):
                op = s3_operation(m.group(1), m.group(3), m.group(4), "list-type=2" in text)
                line = text[:m.start()].count("\n") + 1
                ops.add(("s3", op or f"unrecognised request at s3.cc:{line}"))
    return ops, problems


def run_operations(binary, src):
    doc = capture(binary)
    covered = {(r["service"], r["operation"]) for run in doc["runs"] for r in run["requests"]}
    ops, problems = operations_in(pathlib.Path(src))
    for svc, op in sorted(ops):
        print(f"{'covered' if (svc, op) in covered else 'NOT COVERED':<12} {svc} {op}")
    missing = sorted(ops - covered)
    for svc, op in missing:
        problems.append(f"{svc} {op} is performed in src/ but has no case in capture_requests.cc")
    stale = sorted(covered - ops)
    for svc, op in stale:
        problems.append(f"{svc} {op} is captured but the scan of src/ no longer finds it")
    for p in problems:
        print("FAIL " + p)
    print(f"{len(ops)} operations in src/, {len(covered)} captured, {len(problems)} problems")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "requests":
        return run_requests(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "operations":
        return run_operations(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
