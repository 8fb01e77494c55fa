# %% [markdown]
# # Drill: a small exercise set for the grading tests · 评分测试用的小练习
#
# Test fixture of tests/test_grading.py (not a course exercise): an nbgrader
# master written with the conventions of CONTRIBUTING.md.

# %%
import builtins

from casekit import metrics

# %% [markdown]
# ## Question 1: lifetime value

# %% tags=["solution", "id:q1"]
def lifetime_value(margin, retention, discount):
    ### BEGIN SOLUTION
    return margin * retention / (1 + discount - retention)
    ### END SOLUTION

# %% tags=["tests", "id:q1_tests", "points:2"]
_v = lifetime_value(100, 0.8, 0.10)
assert _v is not None, "q1: lifetime_value returned None; return the result. | 中文：函数返回了 None，请返回结果。"
assert builtins.abs(_v - 266.67) < 0.01, (
    f"q1: lifetime_value(100, 0.8, 0.10) should be about 266.67, got {_v!r}. "
    f"| 中文：lifetime_value(100, 0.8, 0.10) 应约为 266.67，你的结果是 {_v!r}。")
### BEGIN HIDDEN TESTS
assert builtins.abs(lifetime_value(250, 0.9, 0.05) - 1500.0) < 1e-6, "hidden check one of lifetime value"
assert builtins.abs(metrics.clv(40, 0.5, 0.12) - lifetime_value(40, 0.5, 0.12)) < 1e-6, "hidden check two"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 2: a share

# %% tags=["solution", "id:q2"]
share = None
### BEGIN SOLUTION
share = 3 / 5
### END SOLUTION

# %% tags=["tests", "id:q2_tests", "points:2"]
assert share is not None, "q2: share is still None; set it. | 中文：share 仍是 None，请设置它。"
### BEGIN HIDDEN TESTS
assert builtins.abs(share - 0.6) < 1e-9, "hidden check of the frozen share value"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 3: a count

# %% tags=["solution", "id:q3"]
total = None
### BEGIN SOLUTION
total = 6 * 7
### END SOLUTION

# %% tags=["tests", "id:q3_tests", "points:1"]
assert total is not None, "q3: total is still None; set it. | 中文：total 仍是 None，请设置它。"
### BEGIN HIDDEN TESTS
assert total == 42, "hidden check of the frozen total value"
### END HIDDEN TESTS

# %% [markdown]
# ## Question 4 (graded by hand)

# %% [markdown] tags=["manual", "id:q4", "points:2"]
# ### BEGIN SOLUTION
# A model answer for the drill's written question, in several words.
# ### END SOLUTION
