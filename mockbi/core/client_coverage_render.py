"""Client-coverage reports as text (the pytest terminal summary, ``mockbi coverage client``) and JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

#: operations listed by name under "never called" before the list is cut short
NEVER_CALLED_SHOWN = 12


def _statuses(row: dict[str, Any]) -> str:
    parts = []
    for status, n in row["statuses"].items():
        injected = row["injected"].get(status, 0)
        parts.append(f"{status}×{n}" + (f" ({injected} injected)" if injected else ""))
    return ", ".join(parts)


def as_text(document: dict[str, Any], vendors: list[str] | None = None) -> str:
    """Per vendor: operations exercised / declared, statuses per exercised operation, declared error statuses
    never seen, and the operations never called."""
    lines = []
    for name, v in document["vendors"].items():
        if vendors is not None and name not in vendors:
            continue
        lines.append(f"{name} ({v['title']}): {v['operations_exercised']}/{v['operations_declared']} operations "
                     f"exercised ({v['percent']:.1f}%)" +
                     (f", {v['unmatched_calls']} calls matched no operation" if v["unmatched_calls"] else ""))
        for row in v["operations"]:
            if not row["calls"]:
                continue
            lines.append(f"  {row['operation_id']}  {row['route']}: {_statuses(row)}")
            if row["error_statuses_missing"]:
                lines.append(f"      declared errors never seen: {', '.join(row['error_statuses_missing'])}")
        never = [r["operation_id"] for r in v["operations"] if not r["calls"]]
        if never:
            shown = ", ".join(never[:NEVER_CALLED_SHOWN])
            more = f" (+{len(never) - NEVER_CALLED_SHOWN} more)" if len(never) > NEVER_CALLED_SHOWN else ""
            lines.append(f"  never called: {shown}{more}")
    lines.append(f"total: {document['operations_exercised']}/{document['operations_declared']} operations "
                 f"exercised ({document['percent']:.1f}%)")
    return "\n".join(lines) + "\n"


def as_junit(document: dict[str, Any]) -> str:
    """One test suite per vendor, one test case per operation: an operation never called is a failure;
    declared error statuses never seen are listed in the case's output."""
    suites = ET.Element("testsuites", name="mockbi client coverage")
    for name, v in document["vendors"].items():
        never = [r for r in v["operations"] if not r["calls"]]
        suite = ET.SubElement(suites, "testsuite", name=name, tests=str(len(v["operations"])),
                              failures=str(len(never)), errors="0")
        for row in v["operations"]:
            case = ET.SubElement(suite, "testcase", classname=f"mockbi.coverage.{name}", name=row["operation_id"])
            if not row["calls"]:
                ET.SubElement(case, "failure", message=f"{row['route']} was never exercised")
                continue
            out = f"{row['route']}: {_statuses(row)}"
            if row["error_statuses_missing"]:
                out += f"\ndeclared errors never seen: {', '.join(row['error_statuses_missing'])}"
            ET.SubElement(case, "system-out").text = out
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
