# The selection-round fixtures the home page's tests share with the rounds' own tests.
from tests.backbone.test_rounds_services import (  # noqa: F401
    announced_round,
    member2,
    scoring_round,
    staff,
)
