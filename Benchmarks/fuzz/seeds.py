"""Writes the seed corpus of the spreadsheet fuzzer into the folder given: a few valid files of each kind the
fuzz target reads, each prefixed with the byte that selects its reader (see FuzzEntry.swift)."""
import io, os, sys, zipfile

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def seed(name, mode, data):
    for prefix in (mode, mode | 0x80):  # standard limits, tiny limits
        with open(os.path.join(out, f"{name}-{prefix:02x}"), "wb") as f:
            f.write(bytes([prefix]) + data)

csv = {
    "plan_lines": "\ufeffunit_code,year,source,category,amount_vnd,approved_on,decision_no\r\n38,2026,national,1,2000000000,2025-12-15,12/QĐ-UBND\r\n38,2026,national,1,2500000000,20/06/2026,\"88/QĐ, \"\"UBND\"\"\"\r\n",
    "projects": "code,title,unit_code,year,source,category,implementing_unit,support_vnd\nKC-1,\"Máy sấy chè,\nchế biến\",38,2026,national,1,Trung tâm,300000000\n",
    "disbursements": "project_code,date,amount_vnd,basis\nKC-IMP-1,2026-03-01,100000000,estimate\nKC-IMP-1,2026-04-01,90000000,actual\n",
}
for name, text in csv.items():
    seed("csv-" + name, 0, text.encode())

sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>date</t></is></c><c r="C1" t="s"><v>1</v></c></row>'
         '<row r="2"><c r="A2" t="inlineStr"><is><r><t>KC-</t></r><r><t xml:space="preserve">1 &amp; 2</t></r></is></c>'
         '<c r="B2" s="1"><v>46082</v></c><c r="C2"><v>1.7075E11</v></c></row>'
         '<row r="3"><c r="A3" t="str"><v>x</v></c><c r="B3" t="b"><v>1</v></c><c r="C3"><v>12.0</v></c></row>'
         '</sheetData></worksheet>')
strings = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
           '<si><t>project_code</t></si><si><r><t>amount</t></r><r><t>_vnd</t></r><rPh><t>ふ</t></rPh></si></sst>')
styles = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
          '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="14"/></cellXfs></styleSheet>')
workbook = ('<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="disbursements" sheetId="1" r:id="rId1"/><sheet name="outputs" sheetId="2" r:id="rId2"/></sheets></workbook>')
rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>')

for method, name in ((zipfile.ZIP_DEFLATED, "deflate"), (zipfile.ZIP_STORED, "stored")):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as z:
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", rels)
        z.writestr("xl/sharedStrings.xml", strings)
        z.writestr("xl/styles.xml", styles)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/worksheets/sheet2.xml", sheet.replace("46082", "46100"))
    seed("xlsx-" + name, 1, buffer.getvalue())

seed("sheet", 2, sheet.encode())
seed("sheet-cdata", 2, b'<worksheet><sheetData><row><c t="inlineStr"><is><t><![CDATA[a]]b]]></t></is></c><c t="e"><v>#N/A</v></c></row><!-- c --></sheetData></worksheet>')
seed("strings", 3, strings.encode())
seed("styles", 4, styles.encode())
