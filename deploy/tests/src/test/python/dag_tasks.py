"""Reads an Airflow DAG file without Airflow (standard library only): its Spark tasks and the edges
between them, from the Python syntax tree. Prints JSON:

  {"tasks": {task_id: {"operator", "java_class", "application", "application_args", "files",
                       "deploy_mode", "manifest", "driver_env", "default_args_retries"}},
   "edges": [[upstream_task_id, downstream_task_id], ...],
   "params": {name: default},
   "param_descriptions": {name: description}}

Values are evaluated only as far as module constants, string concatenation, f-strings over
constants and list/dict literals go; Jinja templates stay as written. A manifest is the first
string argument of a call in template_spec or application_file, and driver_env that call's
driver_env keyword (the driver's environment variables the DAG sets in the manifest).
Usage: python3 dag_tasks.py DAG_FILE
"""
import ast
import json
import sys

UNKNOWN = object()


class Evaluator:
    def __init__(self):
        self.names = {}

    def value(self, node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.names.get(node.id, UNKNOWN)
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                x = self.value(v.value) if isinstance(v, ast.FormattedValue) else self.value(v)
                if x is UNKNOWN:
                    return UNKNOWN
                parts.append(str(x))
            return "".join(parts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.value(node.left), self.value(node.right)
            if a is UNKNOWN or b is UNKNOWN:
                return UNKNOWN
            return a + b
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.value(e) for e in node.elts]
            return UNKNOWN if any(i is UNKNOWN for i in items) else items
        if isinstance(node, ast.Dict):
            out = {}
            for k, v in zip(node.keys, node.values):
                val = self.value(v)
                if k is None:
                    if not isinstance(val, dict):
                        return UNKNOWN
                    out.update(val)
                else:
                    key = self.value(k)
                    if key is UNKNOWN or val is UNKNOWN:
                        return UNKNOWN
                    out[key] = val
            return out
        if isinstance(node, ast.Call) and call_name(node) == "Param" and node.args:
            return self.value(node.args[0])
        if isinstance(node, ast.Call) and call_name(node) == "timedelta":
            return "timedelta"
        return UNKNOWN


def param_descriptions(node):
    """{name: description} of the Param(...) entries of a params dict literal ("" when undescribed)."""
    out = {}
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and isinstance(v, ast.Call) and call_name(v) == "Param":
                d = next((kw.value for kw in v.keywords if kw.arg == "description"), None)
                out[k.value] = d.value if isinstance(d, ast.Constant) and isinstance(d.value, str) else ""
    return out


def call_name(call):
    f = call.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def operands(node, variables):
    """The task ids a side of >> stands for: a task variable or a list of them."""
    if isinstance(node, ast.Name) and node.id in variables:
        return [variables[node.id]]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [t for e in node.elts for t in operands(e, variables)]
    return []


def shift_edges(node, variables, edges):
    """Edges of a chain a >> b >> c (left-nested BinOps); returns the right-most operands."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
        left = shift_edges(node.left, variables, edges)
        right = operands(node.right, variables)
        for a in left:
            for b in right:
                edges.append([a, b] if isinstance(node.op, ast.RShift) else [b, a])
        return right
    return operands(node, variables)


def main(path):
    tree = ast.parse(open(path).read(), path)
    ev = Evaluator()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            v = ev.value(node.value)
            if v is not UNKNOWN:
                ev.names[node.targets[0].id] = v
    tasks, variables, params, descriptions, retries = {}, {}, {}, {}, None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and call_name(node) == "DAG":
            for kw in node.keywords:
                if kw.arg == "params":
                    params = ev.value(kw.value)
                    descriptions = param_descriptions(kw.value)
                if kw.arg == "default_args":
                    d = ev.value(kw.value)
                    retries = d.get("retries") if isinstance(d, dict) else None
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and (call_name(node.value) or "").endswith("Operator"):
            kws = {kw.arg: kw.value for kw in node.value.keywords}
            task = {"operator": call_name(node.value)}
            for key in ("task_id", "java_class", "application", "application_args", "files", "deploy_mode", "conf"):
                if key in kws:
                    v = ev.value(kws[key])
                    task[key] = None if v is UNKNOWN else v
            for key in ("template_spec", "application_file"):
                spec = kws.get(key)
                if isinstance(spec, ast.Call) and spec.args and isinstance(spec.args[0], ast.Constant):
                    task["manifest"] = spec.args[0].value
                    for kw in spec.keywords:
                        if kw.arg == "driver_env":
                            env = ev.value(kw.value)
                            task["driver_env"] = None if env is UNKNOWN else env
                elif isinstance(spec, ast.Constant):
                    task["manifest"] = spec.value
            tasks[task.get("task_id")] = task
            variables[node.targets[0].id] = task.get("task_id")
    edges = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr):
            if isinstance(node.value, ast.BinOp):
                shift_edges(node.value, variables, edges)
            elif isinstance(node.value, ast.Call) and call_name(node.value) == "chain":
                ids = [t for a in node.value.args for t in operands(a, variables)]
                edges.extend([a, b] for a, b in zip(ids, ids[1:]))
    for t in tasks.values():
        t["default_args_retries"] = retries
    print(json.dumps({"tasks": tasks, "edges": edges, "params": params if isinstance(params, dict) else {},
                      "param_descriptions": descriptions}))


if __name__ == "__main__":
    main(sys.argv[1])
