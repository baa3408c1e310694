"""Edits an appeal sheet in a running headless LibreOffice (python3-uno) as a company would, and saves it as .xlsx.

Usage (with /usr/bin/python3, which has the uno module):
  libreoffice-appeal-edit.py PIPE_NAME IN.xlsx OUT.xlsx EDITS_JSON
  libreoffice-appeal-edit.py PIPE_NAME --terminate

EDITS_JSON: a list of {"sheet": name, "cell": "N3", "input"|"text"|"number": value, "unprotect": bool}
  input:  typed as a person types it (parsed like keyboard input: "96%" becomes the number 0.96)
  text:   set as a string; number: set as a number
  unprotect: lift the sheet protection (no password) before the edit, as a user would in Tools > Protect Sheet
Prints one JSON line with what LibreOffice reported (sheet protection and visibility as loaded).
"""
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    last = None
    for _ in range(120):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception as error:  # LibreOffice still starting
            last = error
            time.sleep(0.5)
    raise RuntimeError(f"cannot connect to LibreOffice on pipe {pipe}: {last}")


def main():
    pipe = sys.argv[1]
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    if sys.argv[2] == "--terminate":
        try:
            desktop.terminate()
        except Exception:  # the bridge goes away with the office
            pass
        return
    source, target, edits = sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    report = {"sheets": []}
    try:
        for i in range(doc.Sheets.Count):
            sheet = doc.Sheets.getByIndex(i)
            report["sheets"].append({"name": sheet.Name, "visible": sheet.IsVisible, "protected": sheet.isProtected()})
        report["edits"] = []
        for edit in edits:
            sheet = doc.Sheets.getByName(edit["sheet"])
            if edit.get("unprotect"):
                sheet.unprotect("")
            cell = sheet.getCellRangeByName(edit["cell"])
            if "input" in edit:
                cell.setFormula(str(edit["input"]))
            elif "text" in edit:
                cell.setString(edit["text"])
            else:
                cell.setValue(float(edit["number"]))
            report["edits"].append({"cell": edit["cell"], "string": cell.getString(), "value": cell.getValue(), "type": cell.getType().value})
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Calc MS Excel 2007 XML"), prop("Overwrite", True)))
    finally:
        doc.close(True)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
