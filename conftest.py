"""Test-suite set-up shared by the library tests, doctests and nbval notebook runs."""
import os
import tempfile

# Self-checks raise on a wrong answer, so nbval verifies every exercise's model solution.
os.environ.setdefault("CRMLIB_STRICT_CHECKS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Keep Jupyter / IPython / matplotlib state out of the user's home during tests.
_state = tempfile.mkdtemp(prefix="crmlib-test-")
for var, sub in [("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                 ("MPLCONFIGDIR", "mpl")]:
    os.environ.setdefault(var, os.path.join(_state, sub))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
