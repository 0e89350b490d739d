"""GET /api/v1/quiz/items and POST /api/v1/quiz/score: the interest quiz for any client."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request

from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.errors import ValidationFailed
from search_api.quiz.items import CHOICES, ITEMS, TYPES
from search_api.quiz.schemas import (
    QuizAnswers,
    QuizChoiceOut,
    QuizItemOut,
    QuizItems,
    QuizResult,
    RiasecTypeOut,
    TypeScoreOut,
)
from search_api.quiz.scoring import QuizScore, UnknownItems, score_answers

router = APIRouter(prefix="/api/v1/quiz", tags=["quiz"])


def quiz_result(score: QuizScore) -> QuizResult:
    return QuizResult(
        scores=[
            TypeScoreOut(
                letter=s.letter,
                name=TYPES[s.letter].name,
                score=s.score,
                answered=s.answered,
                liked=s.liked,
            )
            for s in score.scores
        ],
        ranked=score.ranked,
        code=score.code,
        interests=score.interests,
        answered=score.answered,
        total=score.total,
    )


@router.get(
    "/items", response_model=Envelope[QuizItems], summary="The interest quiz's items and types"
)
async def quiz_items(request: Request) -> Envelope[QuizItems]:
    return envelope(
        request,
        QuizItems(
            items=[QuizItemOut(**asdict(i)) for i in ITEMS],
            choices=[QuizChoiceOut(**asdict(c)) for c in CHOICES],
            types=[RiasecTypeOut(**asdict(t)) for t in TYPES.values()],
        ),
    )


@router.post(
    "/score",
    response_model=Envelope[QuizResult],
    responses={422: {"model": ErrorEnvelope}},
    summary="Score quiz answers on the six RIASEC types",
)
async def score_quiz(request: Request, body: QuizAnswers) -> Envelope[QuizResult]:
    """Send the answers; get a 0..1 score per type, the Holland code and the `interests` to
    use in `POST /api/v1/recommendations`."""
    try:
        score = score_answers(body.answers)
    except UnknownItems as exc:
        raise ValidationFailed(
            "invalid request: answers",
            [
                {"field": f"answers.{i}", "location": "body", "message": "unknown quiz item"}
                for i in exc.ids
            ],
        ) from exc
    return envelope(request, quiz_result(score))
