#!/usr/bin/env python3
"""Generates corpus.txt: labelled sentences for RedactionCorpusTest. Deterministic (seeded).

Format: one example per line; each sensitive span is written [[KIND|value]]; a literal newline inside a value is
written \\n. Lines without markers are negatives (near misses that must not be redacted). '#' starts a comment.
"""
import random, string

R = random.Random(20260811)
N = 40

def luhn_complete(prefix, length):
    digits = [int(c) for c in prefix] + [R.randrange(10) for _ in range(length - len(prefix) - 1)]
    for check in range(10):
        ds = digits + [check]
        s = 0
        for i, d in enumerate(reversed(ds)):
            if i % 2 == 1:
                d *= 2
                if d > 9: d -= 9
            s += d
        if s % 10 == 0:
            return ''.join(map(str, ds))

def luhn_broken(prefix, length):
    good = luhn_complete(prefix, length)
    last = (int(good[-1]) + R.randrange(1, 10)) % 10
    return good[:-1] + str(last)

def group(s, sizes, sep):
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n]); i += n
    if i < len(s): out.append(s[i:])
    return sep.join(x for x in out if x)

def iban(country, bban, broken=False):
    num = ''.join(str(int(c, 36)) for c in bban + country + '00')
    check = 98 - int(num) % 97
    if broken: check = (check % 97) + 1 if check != 97 else 2
    return country + '%02d' % check + bban

def rand(alphabet, n): return ''.join(R.choice(alphabet) for _ in range(n))
AN = string.ascii_letters + string.digits
UP = string.ascii_uppercase + string.digits
B64 = AN + '-_'

first = ['anna', 'li.wei', 'j.smith', 'maria_garcia', 'o.brien', 'dev+alerts', 'kofi', 'zoe.k', 'p.novak', 'sam']
domains = ['example.com', 'mail.example.org', 'corp.example.co.uk', 'example.io', 'uni-example.edu', 'ex.ample.de']

def email(): return R.choice(first) + str(R.randrange(100) if R.random() < .4 else '') + '@' + R.choice(domains)

def phone():
    k = R.randrange(6)
    if k == 0: return '(%03d) %03d-%04d' % (R.randrange(200, 999), R.randrange(200, 999), R.randrange(10000))
    if k == 1: return '%03d-%03d-%04d' % (R.randrange(200, 999), R.randrange(200, 999), R.randrange(10000))
    if k == 2: return '+1 %03d %03d %04d' % (R.randrange(200, 999), R.randrange(200, 999), R.randrange(10000))
    if k == 3: return '+44 20 %04d %04d' % (R.randrange(10000), R.randrange(10000))
    if k == 4: return '+49 30 %08d' % R.randrange(10 ** 8)
    return '%03d.%03d.%04d' % (R.randrange(200, 999), R.randrange(200, 999), R.randrange(10000))

def card():
    kind = R.choice(['visa', 'mc', 'amex', 'disc'])
    if kind == 'amex':
        n = luhn_complete(R.choice(['34', '37']), 15); return group(n, [4, 6, 5], R.choice([' ', '-', '']))
    n = luhn_complete({'visa': '4', 'mc': '5' + str(R.randrange(1, 6)), 'disc': '6011'}[kind], 16)
    return group(n, [4, 4, 4, 4], R.choice([' ', '-', '']))

def ssn():
    a = R.choice([x for x in range(1, 900) if x != 666])
    return '%03d-%02d-%04d' % (a, R.randrange(1, 100), R.randrange(1, 10000))

def an_iban():
    c = R.choice(['DE', 'GB', 'FR', 'NL', 'ES', 'CH'])
    bban = {'DE': lambda: rand(string.digits, 18), 'GB': lambda: rand(string.ascii_uppercase, 4) + rand(string.digits, 14),
            'FR': lambda: rand(string.digits, 23), 'NL': lambda: rand(string.ascii_uppercase, 4) + rand(string.digits, 10),
            'ES': lambda: rand(string.digits, 20), 'CH': lambda: rand(string.digits, 17)}[c]()
    v = iban(c, bban)
    return group(v, [4] * 9, ' ') if R.random() < .5 else v

def ipv4(): return '.'.join(str(R.choice([R.randrange(1, 256), R.randrange(10), R.randrange(100, 256)])) for _ in range(4))

def ipv6():
    g = [('%x' % R.randrange(65536)) for _ in range(8)]
    k = R.randrange(4)
    if k == 0: return ':'.join(g)
    if k == 1: return 'fe80::' + ':'.join(g[:3])
    if k == 2: return '2001:db8:' + g[2] + '::' + g[5]
    return ':'.join(g[:4]) + '::1'

def openai_key(): return R.choice(['sk-', 'sk-proj-', 'sk-svcacct-']) + rand(B64, R.choice([32, 48, 64]))
def anthropic_key(): return 'sk-ant-api03-' + rand(B64, 80) + 'AA'
def aws(): return R.choice(['AKIA', 'ASIA']) + rand(string.ascii_uppercase + '234567', 16)
def github(): return R.choice(['ghp_', 'gho_', 'ghs_', 'ghu_']) + rand(AN, 36) if R.random() < .7 else 'github_pat_' + rand(AN + '_', 82)
def jwt():
    return 'eyJ' + rand(B64, 30) + '.eyJ' + rand(B64, R.randrange(40, 120)) + '.' + rand(B64, 43)
def pem():
    t = R.choice(['', 'RSA ', 'EC ', 'OPENSSH '])
    body = '\\n'.join(rand(AN + '+/', 64) for _ in range(R.randrange(3, 8)))
    return '-----BEGIN %sPRIVATE KEY-----\\n%s\\n-----END %sPRIVATE KEY-----' % (t, body, t)
def ticket(): return 'TCK-%06d' % R.randrange(10 ** 6)

templates = [
    'Please contact {} about the refund.', 'My details: {} (do not share).', 'Customer wrote from {}, asking for help.',
    'Summarise this note: "call back at {} tomorrow"', 'value={};', 'Can you check {} for me?', '{}',
    'The log line was: user {} failed login', 'Ticket history mentions {} twice.', 'Use {}, then retry.',
]

kinds = {'EMAIL': email, 'PHONE': phone, 'CARD': card, 'SSN': ssn, 'IBAN': an_iban, 'IPV4': ipv4, 'IPV6': ipv6,
         'OPENAI_KEY': openai_key, 'ANTHROPIC_KEY': anthropic_key, 'AWS_ACCESS_KEY': aws, 'GITHUB_TOKEN': github,
         'JWT': jwt, 'PEM_PRIVATE_KEY': pem, 'TICKET': ticket}

lines = ['# generated by generate_corpus.py (seeded); edit the script, not this file']
for kind, gen in kinds.items():
    lines.append('# ' + kind)
    for i in range(N):
        t = R.choice(templates)
        lines.append(t.format('[[%s|%s]]' % (kind, gen())))
# mixed lines
lines.append('# mixed')
names = list(kinds)
for i in range(N):
    a, b = R.sample(names, 2)
    lines.append('From [[%s|%s]] to [[%s|%s]], see above.' % (a, kinds[a](), b, kinds[b]()))

negatives = [
    lambda: 'Card ending in %s failed Luhn: %s' % (R.randrange(1000, 9999), group(luhn_broken('4', 16), [4, 4, 4, 4], ' ')),
    lambda: 'Order number %d shipped.' % R.randrange(10 ** 9, 10 ** 12),
    lambda: 'Invalid IBAN %s was rejected.' % iban('DE', rand(string.digits, 18), broken=True),
    lambda: 'Version %d.%d.%d released' % (R.randrange(10), R.randrange(30), R.randrange(100)),
    lambda: 'Version %d.%d.%d.%d.%d build' % tuple(R.randrange(10) for _ in range(5)),
    lambda: 'Octets %d.%d.%d.%d are out of range' % (R.randrange(256, 999), R.randrange(256), R.randrange(256), R.randrange(256)),
    lambda: 'Meeting at %02d:%02d:%02d sharp' % (R.randrange(24), R.randrange(60), R.randrange(60)),
    lambda: 'Date %d-%02d-%02d is the deadline' % (R.randrange(2000, 2030), R.randrange(1, 13), R.randrange(1, 29)),
    lambda: 'SSN-like 000-%02d-%04d is never issued' % (R.randrange(1, 100), R.randrange(1, 10000)),
    lambda: 'SSN-like 9%02d-%02d-%04d is an ITIN range' % (R.randrange(100), R.randrange(1, 100), R.randrange(1, 10000)),
    lambda: 'The key sk-%s is too short to be real' % rand(AN, 8),
    lambda: 'akia%s is lower case' % rand(string.ascii_lowercase, 16),
    lambda: 'Hash %s of the commit' % rand('0123456789abcdef', 40),
    lambda: 'Request id %s-%s-%s-%s-%s' % (rand('0123456789abcdef', 8), rand('0123456789abcdef', 4), rand('0123456789abcdef', 4), rand('0123456789abcdef', 4), rand('0123456789abcdef', 12)),
    lambda: 'Price is $%d,%03d.%02d today' % (R.randrange(1, 999), R.randrange(1000), R.randrange(100)),
    lambda: 'user@localhost is not a routable address',
    lambda: 'Call extension %d internally' % R.randrange(1000, 99999),
    lambda: 'std::vector<int> and a::b::c are C++ names',
    lambda: 'header eyJhbGciOiJIUzI1NiJ9 alone is not a token',
    lambda: 'ghp_%s is truncated' % rand(AN, 12),
    lambda: 'Ratio %d:%d:%d of the mix' % (R.randrange(10), R.randrange(10), R.randrange(10)),
    lambda: 'Room %d-%d, floor %d' % (R.randrange(100, 999), R.randrange(10, 99), R.randrange(1, 40)),
    lambda: 'The word @mention and email-style text like foo at bar dot com',
    lambda: 'Serial %s' % rand(string.ascii_uppercase, 2) + rand(string.digits, 8),
]
lines.append('# negatives (near misses)')
for i in range(6 * N):
    lines.append(R.choice(negatives)())
open('corpus.txt', 'w').write('\n'.join(lines) + '\n')
