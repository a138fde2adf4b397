"""The demo's EU AI Act documents: the customer chatbot's transparency notice is published at
a public link. The credit engine's technical file and monitoring plan need no data of their
own: they are drafted from what the other demo areas recorded, with a few gaps left to fix."""

from __future__ import annotations

from aims.demo import MemberCtx
from aims.inventory.selectors import ai_system_list
from aims.techfile.services import notice_link_create

CHATBOT = "Customer service chatbot"


def build(*, ctxs: dict[str, MemberCtx]) -> None:
    editor = ctxs["editor"]
    chatbot = next(s for s in ai_system_list(ctx=editor) if s.name == CHATBOT)
    notice_link_create(ctx=editor, system_id=chatbot.pk, data={
        "contact": "Ask in the chat for a person, write to service@example.com, or call our "
                   "service line. You can ask us to review any answer the assistant gave."})
