"""How a form reads a table that units export from their budget system into a records question
(e.g. the 绩效目标申报表 into the target form's indicator rows). Pure data, checked at load.

    tables:
      - name: 绩效目标申报表
        question: indicators
        columns:                       # record field -> the header words that name its column
          level1: [一级指标]
          name: [三级指标, 指标名称]
        required: [level1, name, target]
        values:                        # record field -> choice -> other wordings in such tables
          nature: {"≥": [正向, ">=", 大于等于]}
        sign_in: {field: target, into: nature, words_mean: 定性}   # "≥95" in a 指标值 cell gives the 指标性质
        skip: [合计, 小计]               # rows whose first cells say this are not indicator rows
"""

from __future__ import annotations

from pydantic import Field, model_validator

from zjeval.form.question import Id, Label, Question, Strict


class SignIn(Strict):
    """A cell that may start with the 指标性质 sign (≥ ≤ = > <), which then fills another field."""

    field: Id
    into: Id
    words_mean: str | None = None  # what `into` is when the cell is words, not a figure (定性)


class TableSpec(Strict):
    name: Label  # what the table is called, in messages
    question: Id
    columns: dict[Id, list[Label]] = Field(min_length=1)
    required: list[Id] = Field(default_factory=list)
    values: dict[Id, dict[str, list[Label]]] = Field(default_factory=dict)
    sign_in: SignIn | None = None
    skip: list[Label] = Field(default_factory=list)

    @model_validator(mode="after")
    def _required_are_columns(self) -> TableSpec:
        missing = [f for f in self.required if f not in self.columns]
        if missing:
            raise ValueError(f"required 中的 {'、'.join(missing)} 不在 columns 中")
        return self

    def problems(self, questions: dict[str, Question]) -> list[tuple[tuple[str | int, ...], str]]:
        """The spec against the form: a records question, and each field and choice it names."""
        q = questions.get(self.question)
        if q is None or q.type != "records":
            return [(("question",), f"{self.question} 应为表单中 records 类型的问题")]
        fields = {f.id: f for f in q.fields}
        out: list[tuple[tuple[str | int, ...], str]] = []
        named = [
            *self.columns,
            *self.values,
            *((self.sign_in.field, self.sign_in.into) if self.sign_in else ()),
        ]
        for fid in dict.fromkeys(named):
            if fid not in fields:
                out.append((("columns",), f"{self.question} 中没有字段 {fid}"))
        for fid, choices in self.values.items():
            field = fields.get(fid)
            if field is not None:
                extra = sorted(set(choices) - set(field.choices))
                if extra:
                    out.append((("values", fid), f"{'、'.join(extra)} 不是 {fid} 的选项"))
        return out
