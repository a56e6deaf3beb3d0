"""Debian's slapd with a two-person directory, loaded offline by slapadd."""

import textwrap
from pathlib import Path

from tests.markers import SLAPD, needs_slapd  # noqa: F401  (the tests import it here)

from .process import PASSWORD, PEOPLE, Server, free_port, run, start

SUFFIX = "dc=gugan,dc=test"


# -- LDAP ----------------------------------------------------------------------------------------
def start_slapd(folder: Path) -> Server:
    folder.mkdir(parents=True)
    (folder / "db").mkdir()
    root_hash = run(["slappasswd", "-s", "root-secret"]).strip()
    (folder / "slapd.conf").write_text(
        textwrap.dedent(f"""\
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        pidfile {folder}/slapd.pid
        modulepath /usr/lib/ldap
        moduleload back_mdb
        database mdb
        maxsize 10485760
        suffix "{SUFFIX}"
        rootdn "cn=admin,{SUFFIX}"
        rootpw {root_hash}
        directory {folder}/db
        """)
    )
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: gugan\no: Gugan",
        f"dn: ou=people,{SUFFIX}\nobjectClass: organizationalUnit\nou: people",
    ]
    password = run(["slappasswd", "-s", PASSWORD]).strip()
    for uid, person in PEOPLE.items():
        entries.append(
            f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
            f"cn: {person['name']}\nsn: {person['name'][0]}\ndisplayName: {person['name']}\n"
            f"employeeNumber: {person['staff_no']}\nmail: {person['email']}\n"
            "departmentNumber: A001-teacher\n"
            f"userPassword: {password}"
        )
    (folder / "seed.ldif").write_text("\n\n".join(entries) + "\n")
    run(["slapadd", "-f", str(folder / "slapd.conf"), "-l", str(folder / "seed.ldif")])
    port = free_port()
    url = f"ldap://127.0.0.1:{port}"
    command = [SLAPD, "-d", "0", "-f", str(folder / "slapd.conf"), "-h", url + "/"]
    server = start(command, port, folder / "slapd.log", url)
    run(["ldapwhoami", "-x", "-H", url])  # answers LDAP, not only TCP
    return server
