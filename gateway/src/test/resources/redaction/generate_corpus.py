#!/usr/bin/env python3
"""Generates corpus.txt: labelled examples for RedactionCorpusTest. Deterministic (seeded): run it from this folder.
Another seed and file (`generate_corpus.py 7 /tmp/holdout.txt`) give a fresh sample to check the rules against.

Format: one example per line; each sensitive span is written [[KIND|value]]. Escapes: \\n is a line break, \\t a
tab, \\\\ a backslash (so \\\\n is the two characters backslash and n, as written in code or escaped JSON). Lines
without markers are negatives: hard near misses that must not be redacted. '#' starts a comment line.

Every kind appears in many shapes (below, per kind) and in many contexts (CONTEXTS: prose, after a line break or a
tab, inside JSON, quoted, in code, after a written-out \\n escape, in tables, CSV, XML, YAML).
"""
import base64, json, random, string, sys

R = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 20261204)
N = 36  # positives per kind
DIG = string.digits
HEX = '0123456789abcdef'
AN = string.ascii_letters + DIG
UP = string.ascii_uppercase + DIG
B64 = AN + '-_'


def rand(alphabet, n):
    return ''.join(R.choice(alphabet) for _ in range(n))


def fullwidth(s):
    return ''.join(chr(ord(c) - 0x30 + 0xFF10) if c.isdigit() else ('\u3000' if c == ' ' else c) for c in s)


def esc(s):
    """Escapes a raw value for the corpus line format."""
    return s.replace('\\', '\\\\').replace('\n', '\\n').replace('\t', '\\t')


# ---- contexts: {} is where the value goes; a context is raw text (real \n and \t, real backslashes) --------------

CONTEXTS = [
    'Please contact {} about the refund.',
    'My details: {} (do not share).',
    'Here it is: {}',
    'value={};',
    '{}',
    'Line one\n{}\nline three',
    'name\t{}\tactive',
    'Notes:\n\n{}',
    '{{"value": "{}", "ok": true}}',
    '{{"note": "see below\\n{}\\tthanks"}}',
    "print('{}')",
    'x = "{}"  # do not commit',
    'Is `{}` right?',
    '| row 3 | {} | yes |',
    'alice,{},2024-01-01',
    '<item>{}</item>',
    'field: {}',
    'export VAR={}',
    'Use ({}) next time.',
    'It is {}.',
    'She said "{}" twice',
    '- {}',
    'echo "{}\\n" >> out.txt',
    '\t{}',
]

# ---- positives -------------------------------------------------------------------------------------------------

first = ['anna', 'li.wei', 'j.smith', 'maria_garcia', 'o.brien', 'dev+alerts', 'kofi', 'Zoe.K', 'p.novak', 'sam-r']
domains = ['example.com', 'mail.example.org', 'corp.example.co.uk', 'example.io', 'uni-example.edu', 'ex.ample.de',
           'Example.COM', 'shop.example.technology']


def email():
    return R.choice(first) + (str(R.randrange(100)) if R.random() < .4 else '') + '@' + R.choice(domains)


def nanp():
    return str(R.randrange(2, 10)) + rand(DIG, 2), str(R.randrange(2, 10)) + rand(DIG, 2), rand(DIG, 4)


def phone():
    a, b, c = nanp()
    shapes = [
        lambda: '(%s) %s-%s' % (a, b, c), lambda: '%s-%s-%s' % (a, b, c), lambda: '%s.%s.%s' % (a, b, c),
        lambda: '%s %s %s' % (a, b, c), lambda: '+1 %s %s %s' % (a, b, c), lambda: '+1-%s-%s-%s' % (a, b, c),
        lambda: '1-%s-%s-%s' % (a, b, c), lambda: '+1 (%s) %s-%s' % (a, b, c), lambda: a + b + c,
        lambda: '+1' + a + b + c,
        lambda: '+44 20 %s %s' % (rand(DIG, 4), rand(DIG, 4)), lambda: '020 %s %s' % (rand(DIG, 4), rand(DIG, 4)),
        lambda: '07%s %s' % (rand(DIG, 3), rand(DIG, 6)), lambda: '+44 7%s %s' % (rand(DIG, 3), rand(DIG, 6)),
        lambda: '+44 (0)20 %s %s' % (rand(DIG, 4), rand(DIG, 4)), lambda: '0161 %s %s' % (rand(DIG, 3), rand(DIG, 4)),
        lambda: '07' + rand(DIG, 9),
        lambda: '+49 30 ' + rand(DIG, 8), lambda: '030 ' + rand(DIG, 8), lambda: '0151 ' + rand(DIG, 8),
        lambda: '+49 151 ' + rand(DIG, 8), lambda: '+49 (0)30 ' + rand(DIG, 7), lambda: '089/' + rand(DIG, 7),
        lambda: '0151-' + rand(DIG, 8), lambda: '+49151' + rand(DIG, 8),
        lambda: '+33 1 %s %s %s %s' % tuple(rand(DIG, 2) for _ in range(4)),
        lambda: '01 %s %s %s %s' % tuple(rand(DIG, 2) for _ in range(4)),
        lambda: '+91 9%s %s' % (rand(DIG, 4), rand(DIG, 5)),
        lambda: fullwidth('%s-%s-%s' % (a, b, c)),
    ]
    return R.choice(shapes)()


def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix] + [R.randrange(10) for _ in range(length - len(prefix) - 1)]
    for check in range(10):
        ds = digits + [check]
        s = 0
        for i, d in enumerate(reversed(ds)):
            if i % 2 == 1:
                d *= 2
                if d > 9:
                    d -= 9
            s += d
        if s % 10 == 0:
            return ''.join(map(str, ds))


def luhn_broken(prefix, length):
    good = luhn_complete(prefix, length)
    return good[:-1] + str((int(good[-1]) + R.randrange(1, 10)) % 10)


def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(x for x in out if x)


def card():
    kind = R.choice(['visa', 'mc', 'mc2', 'amex', 'disc', 'jcb', 'diners', 'unionpay19'])
    sep = R.choice([' ', '-', '.', ''])
    if kind == 'amex':
        return group(luhn_complete(R.choice(['34', '37']), 15), [4, 6, 5], sep)
    if kind == 'diners':
        return group(luhn_complete('36', 14), [4, 6, 4], sep)
    if kind == 'unionpay19':
        return group(luhn_complete('62', 19), [4, 4, 4, 4, 3], sep)
    prefix = {'visa': '4', 'mc': '5' + str(R.randrange(1, 6)), 'mc2': str(R.randrange(2221, 2721)), 'disc': '6011',
              'jcb': '35' + str(R.randrange(28, 90))}[kind]
    n = group(luhn_complete(prefix, 16), [4, 4, 4, 4], sep)
    return fullwidth(n) if R.random() < .15 else n


def ssn():
    a = R.choice([x for x in range(1, 900) if x != 666])
    b, c = R.randrange(1, 100), R.randrange(1, 10000)
    return R.choice(['%03d-%02d-%04d', '%03d %02d %04d']) % (a, b, c)


IBAN_BBAN = {'DE': lambda: rand(DIG, 18), 'GB': lambda: rand(string.ascii_uppercase, 4) + rand(DIG, 14),
             'FR': lambda: rand(DIG, 23), 'NL': lambda: rand(string.ascii_uppercase, 4) + rand(DIG, 10),
             'ES': lambda: rand(DIG, 20), 'CH': lambda: rand(DIG, 17), 'IT': lambda: 'X' + rand(DIG, 22),
             'BE': lambda: rand(DIG, 12), 'NO': lambda: rand(DIG, 11), 'PL': lambda: rand(DIG, 24),
             'AT': lambda: rand(DIG, 16), 'IE': lambda: rand(string.ascii_uppercase, 4) + rand(DIG, 14)}


def iban_of(country, bban, broken=False):
    num = ''.join(str(int(c, 36)) for c in bban + country + '00')
    check = 98 - int(num) % 97
    if broken:
        check = check % 97 + 1 if check != 97 else 2
    return country + '%02d' % check + bban


def an_iban():
    c = R.choice(list(IBAN_BBAN))
    v = iban_of(c, IBAN_BBAN[c]())
    v = group(v, [4] * 9, ' ') if R.random() < .5 else v
    return v.lower() if R.random() < .3 else v


def ipv4():
    return '.'.join(str(R.choice([R.randrange(1, 256), R.randrange(10), R.randrange(100, 256)])) for _ in range(4))


def ipv6():
    g = [('%x' % R.randrange(4096, 65536)) for _ in range(8)]
    k = R.randrange(5)
    if k == 0:
        return ':'.join(g)
    if k == 1:
        return 'fe80::' + ':'.join(g[:3])
    if k == 2:
        return '2001:db8:' + g[2] + '::' + g[5]
    if k == 3:
        return ':'.join(g[:4]) + '::1'
    return ':'.join(g).upper()


def openai_key():
    k = R.randrange(4)
    if k == 0:
        return 'sk-' + rand(AN, 48)
    if k == 1:
        return 'sk-proj-' + rand(B64, 156)
    if k == 2:
        return 'sk-svcacct-' + rand(B64, 100)
    return 'sk-admin-' + rand(B64, 64)


def anthropic_key():
    return R.choice(['sk-ant-api03-', 'sk-ant-admin01-']) + rand(B64, 93) + 'AA'


def aws_access():
    return R.choice(['AKIA', 'ASIA', 'AROA', 'AIDA']) + rand(string.ascii_uppercase + '234567', 16)


def aws_secret():
    return rand(AN + '/+', 40)


def github():
    if R.random() < .7:
        return R.choice(['ghp_', 'gho_', 'ghs_', 'ghu_', 'ghr_']) + rand(AN, 36)
    return 'github_pat_11' + rand(UP, 20) + '_' + rand(AN, 59)


def stripe():
    return R.choice(['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_']) + rand(AN, R.choice([24, 34, 99])) \
        if R.random() < .85 else 'whsec_' + rand(AN, 32)


def slack():
    k = R.randrange(4)
    if k == 0:
        return 'xoxb-%s-%s-%s' % (rand(DIG, 12), rand(DIG, 13), rand(AN, 24))
    if k == 1:
        return 'xoxp-%s-%s-%s-%s' % (rand(DIG, 12), rand(DIG, 12), rand(DIG, 13), rand(HEX, 32))
    if k == 2:
        return 'xapp-1-A%s-%s-%s' % (rand(UP, 10), rand(DIG, 13), rand(HEX, 64))
    return 'https://hooks.slack.com/services/T%s/B%s/%s' % (rand(UP, 8), rand(UP, 10), rand(AN, 24))


def google():
    return 'AIza' + rand(B64, 35)


def huggingface():
    return 'hf_' + rand(string.ascii_letters, 34) if R.random() < .85 else 'api_org_' + rand(string.ascii_letters, 34)


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(',', ':')).encode()).decode().rstrip('=')


def jwt():
    header = R.choice([{'alg': 'HS256', 'typ': 'JWT'}, {'alg': 'RS256', 'typ': 'JWT', 'kid': rand(HEX, 16)},
                       {'typ': 'JWT', 'alg': 'ES256'}])
    payload = {'sub': rand(DIG, 8), 'name': R.choice(['Ann', 'Li', 'Kofi']), 'iat': 1700000000 + R.randrange(10 ** 7)}
    if R.random() < .5:
        payload['scope'] = 'read write'
    return b64url(header) + '.' + b64url(payload) + '.' + rand(B64, 43 if header['alg'] == 'HS256' else 86)


def pem():
    t = R.choice(['', 'RSA ', 'EC ', 'OPENSSH '])
    body = '\n'.join(rand(AN + '+/', 64) for _ in range(R.randrange(3, 8)))
    return '-----BEGIN %sPRIVATE KEY-----\n%s\n-----END %sPRIVATE KEY-----' % (t, body, t)


def ticket():
    return 'TCK-%06d' % R.randrange(10 ** 6)


KINDS = {'EMAIL': email, 'PHONE': phone, 'CARD': card, 'SSN': ssn, 'IBAN': an_iban, 'IPV4': ipv4, 'IPV6': ipv6,
         'OPENAI_KEY': openai_key, 'ANTHROPIC_KEY': anthropic_key, 'AWS_ACCESS_KEY': aws_access,
         'AWS_SECRET_KEY': aws_secret, 'GITHUB_TOKEN': github, 'STRIPE_KEY': stripe, 'SLACK_TOKEN': slack,
         'GOOGLE_API_KEY': google, 'HUGGINGFACE_TOKEN': huggingface, 'JWT': jwt, 'PEM_PRIVATE_KEY': pem,
         'TICKET': ticket}

# Contexts that belong to one kind (the words a real text puts before it), besides the shared ones.
OWN_CONTEXTS = {
    'PHONE': ['Call me at {} after six.', 'Mobile: {}', 'tel:{}', 'Reach the office on {}.', 'WhatsApp {} please'],
    'SSN': ['SSN: {}', 'social security number {} on file', 'ssn={}'],
    'AWS_SECRET_KEY': ['aws_secret_access_key = {}', 'AWS_SECRET_ACCESS_KEY={}', '"SecretAccessKey": "{}"'],
    'IPV4': ['ssh root@{}', 'server {} is down', 'curl http://{}:8080/health'],
    'EMAIL': ['mailto:{}', 'From: Ann <{}>'],
}

# Bare 9-digit SSNs are recognised only with a cue word before them.
SSN_BARE = ['SSN {}', 'Social security number: {}', 'my ssn is {}']
BEARER = ['Authorization: Bearer {}', 'curl -H "Authorization: bearer {}" https://api.example.com',
          'headers = {{"Authorization": "Bearer {}"}}', 'Use the header Authorization: Bearer {}\nthen retry',
          '{{"headers": {{"authorization": "Bearer {}"}}}}']


def opaque_token():
    return rand(AN + '._~-', R.randrange(24, 64)) + R.choice(DIG) + R.choice(string.ascii_letters)


def label(kind, value):
    return '[[%s|%s]]' % (kind, value)


def put(context, *labelled):
    """Puts labelled values into a raw context; escapes the context's raw text, not the markers."""
    parts = context.split('{}')
    out = esc(parts[0])
    for value, rest in zip(labelled, parts[1:]):
        out += value + esc(rest)
    return out.replace('{{', '{').replace('}}', '}')


lines = ['# generated by generate_corpus.py (seeded); edit the script, not this file']
for kind, gen in KINDS.items():
    lines.append('# ' + kind)
    contexts = CONTEXTS + OWN_CONTEXTS.get(kind, [])
    for i in range(N):
        lines.append(put(R.choice(contexts), label(kind, esc(gen()))))
lines.append('# SSN without separators, after a cue word')
for i in range(8):
    lines.append(put(R.choice(SSN_BARE), label('SSN', '%03d%02d%04d' % (R.randrange(1, 666), R.randrange(1, 100), R.randrange(1, 10000)))))
lines.append('# BEARER_TOKEN (the token after "Bearer"; a known key after it keeps its own kind)')
for i in range(N):
    if R.random() < .8:
        lines.append(put(R.choice(BEARER), label('BEARER_TOKEN', opaque_token())))
    else:
        k = R.choice(['OPENAI_KEY', 'JWT', 'GITHUB_TOKEN'])
        lines.append(put(R.choice(BEARER), label(k, KINDS[k]())))

lines.append('# mixed')
names = list(KINDS)
for i in range(N):
    a, b = R.sample(names, 2)
    lines.append(put(R.choice(['From {} to {}, see above.', '{}\n{}', '{{"a": "{}", "b": "{}"}}', '{}\\n{}']),
                     label(a, esc(KINDS[a]())), label(b, esc(KINDS[b]()))))

# ---- negatives: near misses ------------------------------------------------------------------------------------


def uuid():
    return '%s-%s-4%s-%s%s-%s' % (rand(HEX, 8), rand(HEX, 4), rand(HEX, 3), R.choice('89ab'), rand(HEX, 3), rand(HEX, 12))


def cert():
    body = '\n'.join(rand(AN + '+/', 64) for _ in range(R.randrange(3, 6))) + '\n' + rand(AN + '+/', 40)
    t = R.choice(['CERTIFICATE', 'PUBLIC KEY'])
    return '-----BEGIN %s-----\n%s\n-----END %s-----' % (t, body, t)


a, b, c = nanp()
NEGATIVES = [
    # ids and order numbers, some of a phone's or card's shape
    lambda: 'Order number %d shipped.' % R.randrange(10 ** 9, 10 ** 12),
    lambda: 'Order #%s%s%s is late' % nanp(),
    lambda: 'Transaction ID %s%s%s failed' % nanp(),
    lambda: 'invoice %s%s%s, due in 30 days' % nanp(),
    lambda: 'Tracking number: %s' % luhn_complete('4', 16),
    lambda: 'ticket id %s%s%s' % nanp(),
    lambda: 'Tracking 1Z%s%s' % (rand(UP, 6), rand(DIG, 10)),
    lambda: 'Reference %s on the letter' % rand(DIG, 9),
    lambda: 'ISBN 978-%d-%02d-%06d-%d' % (R.randrange(10), R.randrange(100), R.randrange(10 ** 6), R.randrange(10)),
    lambda: 'ISBN %s' % ('978' + rand(DIG, 10)),
    lambda: 'Serial %s%s' % (rand(string.ascii_uppercase, 2), rand(DIG, 8)),
    lambda: 'Room %d-%d, floor %d' % (R.randrange(100, 999), R.randrange(10, 99), R.randrange(1, 40)),
    lambda: 'Call extension %d internally' % R.randrange(1000, 99999),
    lambda: 'Dial 555-%04d from inside' % R.randrange(10000),
    lambda: 'ZIP %05d-%04d' % (R.randrange(10 ** 5), R.randrange(10 ** 4)),
    # versions and build numbers
    lambda: 'Version %d.%d.%d released' % (R.randrange(10), R.randrange(30), R.randrange(100)),
    lambda: 'version %d.%d.%d.%d installed' % (R.randrange(1, 20), R.randrange(10), R.randrange(10), R.randrange(100)),
    lambda: 'Build: %d.%d.%d.%d' % (R.randrange(1, 20), R.randrange(10), R.randrange(200), R.randrange(256)),
    lambda: 'v%d.%d.%d.%d' % (R.randrange(1, 9), R.randrange(10), R.randrange(10), R.randrange(10)),
    lambda: 'Version %d.%d.%d.%d.%d build' % tuple(R.randrange(10) for _ in range(5)),
    lambda: 'Upgrade to %d.%d.%d-rc.%d' % (R.randrange(5), R.randrange(30), R.randrange(10), R.randrange(5)),
    lambda: 'OID 1.3.6.1.4.1.%d.%d' % (R.randrange(100000), R.randrange(100)),
    lambda: 'Octets %d.%d.%d.%d are out of range' % (R.randrange(256, 999), R.randrange(256), R.randrange(256), R.randrange(256)),
    # timestamps and dates
    lambda: 'Created at %d-%02d-%02dT%02d:%02d:%02dZ' % (R.randrange(2000, 2030), R.randrange(1, 13), R.randrange(1, 29), R.randrange(24), R.randrange(60), R.randrange(60)),
    lambda: '{"ts": "%d-%02d-%02d %02d:%02d:%02d.%03d+02:00"}' % (R.randrange(2000, 2030), R.randrange(1, 13), R.randrange(1, 29), R.randrange(24), R.randrange(60), R.randrange(60), R.randrange(1000)),
    lambda: '"created": %d,' % R.randrange(1600000000, 1800000000),
    lambda: 'epoch millis %d' % R.randrange(1600000000000, 1800000000000),
    lambda: 'at %d in the log' % R.randrange(1600000000000, 1800000000000),
    lambda: 'snapshot-%d%02d%02d%02d%02d%02d.tar' % (R.randrange(2000, 2030), R.randrange(1, 13), R.randrange(1, 29), R.randrange(24), R.randrange(60), R.randrange(60)),
    lambda: 'Meeting at %02d:%02d:%02d sharp' % (R.randrange(24), R.randrange(60), R.randrange(60)),
    lambda: 'Date %02d/%02d/%d or %02d.%02d.%d' % (R.randrange(1, 29), R.randrange(1, 13), R.randrange(2000, 2030), R.randrange(1, 29), R.randrange(1, 13), R.randrange(2000, 2030)),
    lambda: 'Mon, %02d May %d %02d:%02d:%02d GMT' % (R.randrange(1, 29), R.randrange(2000, 2030), R.randrange(24), R.randrange(60), R.randrange(60)),
    # hashes and ids
    lambda: 'Request id %s' % uuid(),
    lambda: '{"id": "%s", "object": "chat.completion"}' % uuid(),
    lambda: 'Hash %s of the commit' % rand(HEX, 40),
    lambda: 'commit %s\\nAuthor: bot' % rand(HEX, 40),
    lambda: 'fixed in %s' % rand(HEX, 7),
    lambda: 'sha256:%s' % rand(HEX, 64),
    lambda: 'SHA1 %s' % rand('0123456789ABCDEF', 40),
    lambda: 'md5 %s' % rand(HEX, 32),
    lambda: 'base64 %s=' % rand(AN + '+/', 43),
    lambda: 'chatcmpl-%s' % rand(AN, 29),
    # prices and quantities
    lambda: 'Price is $%d,%03d.%02d today' % (R.randrange(1, 999), R.randrange(1000), R.randrange(100)),
    lambda: 'Total: EUR %d.%03d,%02d' % (R.randrange(1, 999), R.randrange(1000), R.randrange(100)),
    lambda: 'Revenue USD %d,%03d,%03d,%03d' % (R.randrange(1, 9), R.randrange(1000), R.randrange(1000), R.randrange(1000)),
    lambda: 'Population %d %03d %03d' % (R.randrange(1, 999), R.randrange(1000), R.randrange(1000)),
    lambda: 'Coordinates %d.%04d, -%d.%04d' % (R.randrange(90), R.randrange(10000), R.randrange(180), R.randrange(10000)),
    lambda: 'Pi is 3.14159265358979',
    lambda: 'Score 2+2=4 and +5 points, C++ and g++',
    # near-miss numbers
    lambda: 'Card ending in %s failed Luhn: %s' % (R.randrange(1000, 9999), group(luhn_broken('4', 16), [4, 4, 4, 4], ' ')),
    lambda: 'Test number %s' % group(luhn_complete('1', 16), [4, 4, 4, 4], ' '),
    lambda: 'Invalid IBAN %s was rejected.' % iban_of('DE', rand(DIG, 18), broken=True),
    lambda: 'Invalid iban %s' % iban_of('GB', rand(string.ascii_uppercase, 4) + rand(DIG, 14), broken=True).lower(),
    lambda: 'code de12 abcd efgh ijkl mnop',
    lambda: 'SSN-like 000-%02d-%04d is never issued' % (R.randrange(1, 100), R.randrange(1, 10000)),
    lambda: 'SSN-like 9%02d-%02d-%04d is an ITIN range' % (R.randrange(100), R.randrange(1, 100), R.randrange(1, 10000)),
    # addresses of other shapes
    lambda: 'user@localhost is not a routable address',
    lambda: 'The word @mention and email-style text like foo at bar dot com',
    lambda: 'icon@%dx.png and logo@2x.webp' % R.randrange(2, 4),
    lambda: 'git clone git@github.com:org/repo-%d.git' % R.randrange(100),
    lambda: 'npm i @types/node and lodash@4.17.%d' % R.randrange(30),
    lambda: 'std::vector<int> and a::b::c are C++ names',
    lambda: 'slice x[1::2] and y[::3]',
    lambda: 'MAC %s' % ':'.join(rand(HEX, 2) for _ in range(6)),
    lambda: 'Ratio %d:%d:%d of the mix' % (R.randrange(10), R.randrange(10), R.randrange(10)),
    # placeholders and fragments of keys
    lambda: 'The key sk-%s is too short to be real' % rand(AN, 8),
    lambda: 'OPENAI_API_KEY=sk-proj-YOUR_API_KEY_HERE',
    lambda: 'api_key = "sk-..."',
    lambda: 'key sk-proj-' + 'x' * 40,
    lambda: 'akia%s is lower case' % rand(string.ascii_lowercase, 16),
    lambda: 'AWS_ACCESS_KEY_ID=AKIA' + 'X' * 16,
    lambda: 'header eyJhbGciOiJIUzI1NiJ9 alone is not a token',
    lambda: 'eyJ%s.eyJ%s.%s is not JSON inside' % (rand(AN, 20), rand(AN, 30), rand(AN, 20)),
    lambda: 'ghp_%s is truncated' % rand(AN, 12),
    lambda: 'from huggingface_hub import hf_hub_download',
    lambda: 'token = "xoxb-your-bot-token"',
    lambda: 'AIzaSy... goes here',
    lambda: 'Authorization: Bearer <token>',
    lambda: 'Authorization: Bearer $OPENAI_API_KEY',
    lambda: 'Authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
    lambda: 'He was the bearer of bad news',
    lambda: 'sk_live_ keys are secret, pk_live_ ones are not',
    lambda: 'Path src/main/java/dev/tollgate/gateway/Gateway.java',
    lambda: cert(),
]

# Written by hand, not generated: whole snippets as they come in prompts and answers (labels in the line format).
HANDWRITTEN = r"""
# handwritten snippets
Hi, I'm Dana. Reach me on [[PHONE|(212) 555-0187]] or [[EMAIL|dana.k@example.net]]; my card [[CARD|5500 0000 0000 0004]] was charged twice on 2024-03-02.
.env:\nOPENAI_API_KEY=[[OPENAI_KEY|sk-proj-Qw3rTy7UiOp9AsDfGh1JkL2ZxCvBn4Mq8We5Rt6Yu0IoPaSd]]\nSTRIPE_SECRET_KEY=[[STRIPE_KEY|sk_live_51HqT2kLmN8pQrS3tUvW4xYz6AbCdEfGh]]\nDEBUG=true
[default]\naws_access_key_id = [[AWS_ACCESS_KEY|AKIAQ7RSTUVWX2YZ3ABC]]\naws_secret_access_key = [[AWS_SECRET_KEY|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]]\nregion = eu-west-1
2024-05-12T10:31:07.412Z WARN  [pool-3] connection to [[IPV4|10.24.7.19]]:5432 refused (attempt 3 of 5), request id 7f9c2a4e-1b3d-4c5e-8f6a-9b0c1d2e3f4a
Traceback (most recent call last):\n  File "app.py", line 42, in <module>\n    client = OpenAI(api_key="[[OPENAI_KEY|sk-4fT9xQ2mLp7Rv1Zc8Wb3Ny6Hd0Ks5Ju2Ae9Gi4Bo7]]")
| name | phone | iban |\n|---|---|---|\n| Jonas | [[PHONE|+49 170 1234567]] | [[IBAN|DE89 3704 0044 0532 0130 00]] |
{"tool_calls":[{"function":{"name":"send_sms","arguments":"{\"to\":\"[[PHONE|+14155550199]]\",\"body\":\"Your code is 482913\"}"}}]}
git remote add origin https://[[GITHUB_TOKEN|ghp_R4nd0mT0k3nV4lu3Xy7Zq2Wp9Lm5Nb8Vc1Kd6]]@github.com/acme/api.git
Please wire EUR 1.250,00 to [[IBAN|gb33bukb20201555555555]] (Ref: INV-2024-00417) by 15.06.2024.
ssh -i ~/.ssh/id_ed25519 deploy@[[IPV4|203.0.113.42]] -p 2222
Node [[IPV6|2001:db8:85a3::8a2e:370:7334]] joined the cluster at 12:04:55.
curl https://api.example.com/v2/orders/4155550123 -H "Authorization: Bearer [[JWT|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c]]"
Slack alerts go to [[SLACK_TOKEN|https://hooks.slack.com/services/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]] and the bot uses [[SLACK_TOKEN|xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx]].
const maps = new Loader({ apiKey: "[[GOOGLE_API_KEY|AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW]]" });
huggingface-cli login --token [[HUGGINGFACE_TOKEN|hf_AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh]]
Patient DOB 1984-07-21, SSN [[SSN|123-45-6789]], MRN 00482913, seen 2024-02-11.
Call the hotline at [[PHONE|1-800-555-0199]]? No: that was [[PHONE|1-888-555-0142]], ext. 2.
Lieferung an: Herr Müller, Tel. [[PHONE|0151 23456789]], Kd.-Nr. 4711-0815
Contact: [[EMAIL|Ana.Lopez+billing@example.co.uk]]\tPhone: [[PHONE|+44 20 7946 0958]]\tIP: [[IPV4|192.0.2.146]]
Your order 1234567890 has shipped; track it with 9400111899223456789012 or call us at [[PHONE|855-555-0110]].
Card on file: [[CARD|４１１１　１１１１　１１１１　１１１１]], exp 12/27
Card on file: [[CARD|4111.1111.1111.1111]]; backup [[CARD|3782-822463-10005]]
Use version 3.11.4 with numpy 1.26.0 and torch 2.1.0+cu121 on Ubuntu 22.04.3.
The build 20240512.7 at commit 9fceb02d0ae598e95dc970b74767f19372d61af8 passed 1,024 of 1,024 tests in 83.5 s.
Latency p50 12.3 ms, p99 48.7 ms, 12,345 requests, 0.25% errors, from 2024-05-01 to 2024-05-31.
Coordinates 40.7128, -74.0060; elevation 10 m; UTC+02:00.
UUID 123e4567-e89b-12d3-a456-426614174000 and ULID 01ARZ3NDEKTSV4RRFFQ69G5FAV are ids, not secrets.
Prices: $19.99, $1,299.00, €2.499,95, ¥120000, 3 for 10.00.
Call me maybe.\nPhone: TBD\nEmail: n/a
The Fibonacci numbers 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144 grow fast.
Matrix [[1, 0], [0, 1]] and tuple (3, 4, 5).
"""
lines += [l for l in HANDWRITTEN.strip('\n').split('\n')]

lines.append('# negatives (near misses)')
for i in range(8 * N):
    neg = R.choice(NEGATIVES)()
    lines.append(put(R.choice(CONTEXTS[:12]), esc(neg)) if R.random() < .3 else esc(neg))

open(sys.argv[2] if len(sys.argv) > 2 else 'corpus.txt', 'w').write('\n'.join(lines) + '\n')
