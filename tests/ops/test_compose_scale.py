"""The scaled deployment (docker-compose.scale.yml over docker-compose.yml): replicas publish
no port of their own, one proxy does, and every web and worker replica reads and writes files
in the shared object store, never in a volume of its own."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


class ComposeLoader(yaml.SafeLoader):
    pass


ComposeLoader.add_constructor(
    "!reset", lambda loader, node: {"reset": loader.construct_sequence(node)}
)


def load(name):
    return yaml.load((ROOT / name).read_text(), Loader=ComposeLoader)


def test_the_proxy_is_the_only_way_in_and_it_reaches_the_web_replicas():
    base, scale = load("docker-compose.yml"), load("docker-compose.scale.yml")
    assert scale["services"]["web"]["ports"] == {"reset": []}
    assert scale["services"]["proxy"]["ports"] == ["${WEB_PORT:-8000}:8000"]
    assert "gunicorn -c config/gunicorn.py" in base["services"]["web"]["command"]
    bind = re.search(
        r'"GUNICORN_BIND", "0\.0\.0\.0:(\d+)"', (ROOT / "config/gunicorn.py").read_text()
    )
    web_port = bind.group(1)
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    assert f"server web:{web_port} resolve;" in nginx
    assert f"server login:{web_port} resolve;" in nginx
    mounted = scale["services"]["proxy"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).resolve() == (ROOT / "deploy/nginx.conf").resolve()


def test_every_replica_that_touches_files_uses_the_shared_object_store():
    scale = load("docker-compose.scale.yml")
    for service in ("web", "worker"):
        environment = scale["services"][service]["environment"]
        assert environment["S3_BUCKET"] == "${S3_BUCKET:-gugan}"
        assert environment["S3_ENDPOINT_URL"] == "${S3_ENDPOINT_URL:-http://files:9000}"
    bucket_maker = scale["services"]["files-bucket"]["entrypoint"]
    assert "mc mb --ignore-existing local/${S3_BUCKET:-gugan}" in bucket_maker


def test_logins_go_to_a_pool_of_their_own_and_pages_do_not():
    """Password hashing costs a quarter of a second of CPU: the proxy sends the login form to
    the `login` replicas, so a wave of logins cannot queue the pages behind it."""
    scale = load("docker-compose.scale.yml")
    login = scale["services"]["login"]
    assert login["extends"] == {"file": "docker-compose.yml", "service": "web"}
    assert login["ports"] == {"reset": []}
    assert login["environment"]["S3_BUCKET"] == "${S3_BUCKET:-gugan}"
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    blocks = dict(re.findall(r"location ([^{]+?) \{\s*proxy_pass http://(\w+);", nginx))
    assert blocks == {"= /login/": "gugan_login", "/": "gugan_web"}
