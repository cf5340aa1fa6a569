"""Access control: who is calling (API keys, JWTs) and what each role may do.

- `roles`: the roles and the central table of what each may do;
- `policy`: which GraphQL fields need more than reading (money, writes, key management);
- `keys`: API keys: generated at random, stored hashed, shown once;
- `jwt`: bearer JWTs signed by a shared secret or a public key, claims mapped to roles;
- `principal`: the caller, as resolvers see it;
- `authenticator`: from an `Authorization` header to a principal, with short caches;
- `guard`: the schema extension that applies `policy` to every resolved field;
- `exposure`: the safe defaults of `relgraph serve` (open on loopback only).
"""
