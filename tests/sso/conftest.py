from tests.sso.servers import ldap_on, slapd  # noqa: F401  (fixtures)
