import pytest

from aims.suppliers import services

SUPPLIER = {"name": "Stratus Language Models", "kind": "supplier", "supplies": ["api", "model"],
            "description": "Hosted LLM behind the chatbot.", "criticality": "high"}
CUSTOMER_ITEMS = ("intended_use", "incidents", "contract", "data_location")


@pytest.fixture
def make_supplier(ctx):
    def make(**overrides):
        return services.supplier_create(ctx=ctx, data={**SUPPLIER, **overrides})
    return make


def all_answers(kind: str = "supplier", status: str = "satisfactory") -> list[dict]:
    from aims.suppliers.checklist import items_for

    return [{"item": i.key, "version": 0, "status": status, "notes": f"Checked {i.key}."}
            for i in items_for(kind)]
