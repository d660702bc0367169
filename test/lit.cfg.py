# lit configuration for Octet's FileCheck tests.
import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Octet"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.octet_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit"]

config.substitutions.append(("%PYTHON", config.python_executable))
config.substitutions.append(("%octet_src", config.octet_src_root))
# Runtime libraries for `mlir-runner` in the numeric codegen tests.
llvm_lib_dir = os.path.normpath(os.path.join(config.llvm_tools_dir, "..", "lib"))
config.substitutions.append(
    ("%mlir_runner_utils", os.path.join(llvm_lib_dir, "libmlir_runner_utils.so")))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(llvm_lib_dir, "libmlir_c_runner_utils.so")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    [ToolSubst("octet-opt", unresolved="fatal"),
     ToolSubst("octetc", unresolved="fatal"),
     ToolSubst("octet-run", unresolved="fatal"),
     ToolSubst("octet-builder-mlp", unresolved="fatal"),
     ToolSubst("octet-builder-cnn", unresolved="fatal")],
    [config.octet_tools_dir])
