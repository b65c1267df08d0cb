"""Checks Cargo.lock against a local copy of the RustSec advisory database.

    python3 tools/audit.py DB [Cargo.lock]

DB is a checkout of github.com/rustsec/advisory-db (its crates/ folder).
cargo-audit and cargo-deny fetch that database from GitHub, which this
project's machines cannot reach; this reads a copy made where it can be.
Exit code 1 when an advisory (vulnerability, unsound or unmaintained)
applies to a locked version and is not listed in tools/audit-allow.txt
with a reason.
"""
import pathlib
import re
import sys
import tomllib

db = pathlib.Path(sys.argv[1])
lock = tomllib.load(open(sys.argv[2] if len(sys.argv) > 2 else "Cargo.lock", "rb"))
allow_file = pathlib.Path(__file__).with_name("audit-allow.txt")
allowed = {}
if allow_file.exists():
    for line in allow_file.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            adv_id, _, reason = line.partition(" ")
            allowed[adv_id] = reason.strip()
pkgs = {}
for p in lock['package']:
    pkgs.setdefault(p['name'], []).append(p['version'])
def parse(v):
    v = v.split('+')[0]
    m = re.match(r'(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-(.*))?', v.strip())
    a,b,c,pre = m.groups()
    return (int(a), int(b or 0), int(c or 0), 0 if pre else 1, pre or '')
def cmp(a,b): return (a>b)-(a<b)
def matches(ver, req):
    v = parse(ver)
    for part in req.split(','):
        part = part.strip()
        m = re.match(r'(>=|<=|>|<|=|\^|~)?\s*(.*)', part)
        op, rv = m.groups(); op = op or '^'
        r = parse(rv); c = cmp(v[:4], r[:4])
        if op == '>=' and c < 0: return False
        if op == '>' and c <= 0: return False
        if op == '<' and c >= 0: return False
        if op == '<=' and c > 0: return False
        if op == '=' and c != 0: return False
        if op == '^':
            if c < 0: return False
            nums = rv.split('.')
            if r[0] > 0: upper = (r[0]+1,0,0)
            elif len(nums) > 1 and r[1] > 0: upper = (0, r[1]+1, 0)
            else: upper = (0,0,r[2]+1)
            if v[:3] >= upper: return False
        if op == '~':
            if c < 0 or v[:2] != r[:2]: return False
    return True
found = 0
for name, versions in pkgs.items():
    d = db / 'crates' / name
    if not d.is_dir(): continue
    for f in d.glob('*.md'):
        t = f.read_text()
        m = re.search(r'```toml\n(.*?)```', t, re.S)
        adv = tomllib.loads(m.group(1))
        a = adv['advisory']; vs = adv.get('versions', {})
        if a.get('withdrawn'): continue
        ok = vs.get('patched', []) + vs.get('unaffected', [])
        title = next((l[2:] for l in t.splitlines() if l.startswith('# ')), '')
        for ver in versions:
            if not any(matches(ver, r) for r in ok):
                kind = a.get('informational', 'vulnerability')
                if a['id'] in allowed:
                    print(f"allowed {a['id']} {name} {ver} ({kind}): {allowed[a['id']]}")
                    continue
                found += 1
                print(f"{a['id']} {name} {ver} ({kind}): {title}")
print(f"{len(pkgs)} crates checked against {db}, {found} advisories apply", file=sys.stderr)
sys.exit(1 if found else 0)
