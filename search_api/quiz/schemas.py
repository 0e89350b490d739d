"""Wire shapes of /api/v1/quiz."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from search_api.careers.records import Riasec
from search_api.quiz.items import ITEM_BY_ID

# strict: JSON true/false are not answers (lax mode would read them as 1 and 0)
Answer = Annotated[int, Field(ge=0, le=2, strict=True)]
# The item ids, so that OpenAPI lists them (propertyNames) instead of any string.
ItemId = Annotated[str, StringConstraints(pattern=f"^({'|'.join(ITEM_BY_ID)})$")]


class QuizAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: Annotated[
        dict[ItemId, Answer],
        Field(
            min_length=1,
            description=(
                "Item id -> 0 (not for me), 1 (not sure) or 2 (I would enjoy it). Unanswered "
                "items are left out; each type is scored on the items answered."
            ),
            examples=[{"r1": 2, "i1": 1, "a1": 0}],
        ),
    ]


class QuizChoiceOut(BaseModel):
    value: int
    label_en: str
    label_hi: str


class QuizItemOut(BaseModel):
    id: str
    type: Riasec
    en: str
    hi: str


class RiasecTypeOut(BaseModel):
    letter: Riasec
    name: str
    label_en: str
    label_hi: str
    summary_en: str
    summary_hi: str


class QuizItems(BaseModel):
    items: list[QuizItemOut]
    choices: list[QuizChoiceOut]
    types: list[RiasecTypeOut]


class TypeScoreOut(BaseModel):
    letter: Riasec
    name: str
    score: float = Field(description="0..1")
    answered: int
    liked: int


class QuizResult(BaseModel):
    scores: list[TypeScoreOut]
    ranked: list[Riasec]
    code: str = Field(description="Holland code: the three strongest types, e.g. IAS")
    interests: list[str] = Field(
        description="RIASEC words to put in a recommendation profile's interests"
    )
    answered: int
    total: int
