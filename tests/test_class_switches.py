"""The teacher's switches in the class database, on SQLite and PostgreSQL: defaults, changes that keep the others,
and values out of range refused without changing anything."""

import pytest

from ae_core.classroom import ClassroomError
from ae_core.classroom.switches import Switches, read_switches, set_switches
from ae_core.config import ConfigError


def test_a_new_class_has_the_default_switches(database):
    assert read_switches(database) == Switches(training_paused=False, max_epochs=None, max_jobs_per_student=1, preset={})


def test_switches_are_set_and_the_others_keep_their_values(database):
    set_switches(database, training_paused=True, max_epochs=5)
    changed = set_switches(database, max_jobs_per_student=2, preset={"epochs": 3, "train_fraction": 0.25})
    assert changed == Switches(True, 5, 2, {"epochs": 3, "train_fraction": 0.25})
    assert read_switches(database) == changed
    assert set_switches(database, max_epochs=None, training_paused=False) == Switches(False, None, 2, changed.preset)


@pytest.mark.parametrize(("changes", "code"), [
    ({"max_epochs": 0}, "max_epochs_range"),
    ({"max_epochs": 101}, "max_epochs_range"),
    ({"max_epochs": 2.5}, "max_epochs_range"),
    ({"max_epochs": True}, "max_epochs_range"),
    ({"max_jobs_per_student": 0}, "job_limit_range"),
    ({"max_jobs_per_student": 11}, "job_limit_range"),
    ({"preset": {"speed": 3}}, "preset_unknown_setting"),
])
def test_a_switch_out_of_range_is_refused_and_changes_nothing(database, changes, code):
    set_switches(database, max_epochs=5)
    with pytest.raises(ClassroomError) as refused:
        set_switches(database, training_paused=True, **changes)
    assert refused.value.code == code
    assert read_switches(database) == Switches(max_epochs=5)


def test_a_preset_value_is_checked_as_the_training_form_checks_it(database):
    with pytest.raises(ConfigError) as refused:
        set_switches(database, preset={"epochs": 3, "train_fraction": 2.0, "arch": "lstm"})
    assert [(problem.field, problem.code) for problem in refused.value.problems] == [("arch", "choice"),
                                                                                      ("train_fraction", "range")]
    assert read_switches(database).preset == {}


def test_a_switch_the_code_does_not_know_raises(database):
    with pytest.raises(ValueError, match="No such switches"):
        set_switches(database, maximum_fun=True)
    with pytest.raises(ValueError, match="training_paused"):
        set_switches(database, training_paused="yes")
