"""The 22 Welsh principal councils within the 7 regional partnership boards.

Names in English and in Welsh, as the councils and boards use them.
"""

# (code, English, Welsh, [(code, English, Welsh), ...])
REGIONS: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    ("north-wales", "North Wales", "Gogledd Cymru", [
        ("anglesey", "Isle of Anglesey", "Ynys Môn"),
        ("gwynedd", "Gwynedd", "Gwynedd"),
        ("conwy", "Conwy", "Conwy"),
        ("denbighshire", "Denbighshire", "Sir Ddinbych"),
        ("flintshire", "Flintshire", "Sir y Fflint"),
        ("wrexham", "Wrexham", "Wrecsam"),
    ]),
    ("west-wales", "West Wales", "Gorllewin Cymru", [
        ("carmarthenshire", "Carmarthenshire", "Sir Gaerfyrddin"),
        ("ceredigion", "Ceredigion", "Ceredigion"),
        ("pembrokeshire", "Pembrokeshire", "Sir Benfro"),
    ]),
    ("powys", "Powys", "Powys", [
        ("powys", "Powys", "Powys"),
    ]),
    ("west-glamorgan", "West Glamorgan", "Gorllewin Morgannwg", [
        ("swansea", "Swansea", "Abertawe"),
        ("neath-port-talbot", "Neath Port Talbot", "Castell-nedd Port Talbot"),
    ]),
    ("cwm-taf-morgannwg", "Cwm Taf Morgannwg", "Cwm Taf Morgannwg", [
        ("bridgend", "Bridgend", "Pen-y-bont ar Ogwr"),
        ("merthyr-tydfil", "Merthyr Tydfil", "Merthyr Tudful"),
        ("rhondda-cynon-taf", "Rhondda Cynon Taf", "Rhondda Cynon Taf"),
    ]),
    ("cardiff-and-vale", "Cardiff and Vale", "Caerdydd a’r Fro", [
        ("cardiff", "Cardiff", "Caerdydd"),
        ("vale-of-glamorgan", "Vale of Glamorgan", "Bro Morgannwg"),
    ]),
    ("gwent", "Gwent", "Gwent", [
        ("blaenau-gwent", "Blaenau Gwent", "Blaenau Gwent"),
        ("caerphilly", "Caerphilly", "Caerffili"),
        ("monmouthshire", "Monmouthshire", "Sir Fynwy"),
        ("newport", "Newport", "Casnewydd"),
        ("torfaen", "Torfaen", "Torfaen"),
    ]),
]  # fmt: skip
