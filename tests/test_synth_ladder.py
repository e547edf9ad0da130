"""A synthetic database shows the relationship ladder of its milestones whatever its size and seed: each milestone
has the two countries as its sides, as the extractor gives every milestone."""

import pytest

from partnership_explorer.core import relationship
from partnership_explorer.core.store import Store
from partnership_explorer.core.synth import MILESTONES, synthesize


@pytest.mark.parametrize("n, seed", [(200, 0), (3000, 2), (30000, 0)])
def test_every_synthetic_milestone_has_both_countries_as_sides_and_a_step(tmp_path, n, seed):
    with Store(tmp_path / "s.db") as s:
        synthesize(s, n, seed=seed)
        rows = s.execute("""SELECT e.id, group_concat(en.name, '|') FROM events e
                            JOIN event_entities ee ON ee.event_id = e.id AND ee.role = 'party'
                            JOIN entities en ON en.id = ee.entity_id AND en.type = 'country'
                            WHERE e.kind = 'milestone' GROUP BY e.id""").fetchall()
        assert len(rows) == len(MILESTONES)
        assert all(sorted(names.split("|")) == ["South Korea", "Vietnam"] for _id, names in rows)
        steps = relationship.steps(s)
    assert [st.start[:10] for st in steps] == [day for day, _title in MILESTONES]
    assert {st.pair_key for st in steps} == {"South Korea|Vietnam"}
