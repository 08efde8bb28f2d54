"""The catalogue of a province's agencies, from which the layout builds its units and posts.

Departments (sở) and their divisions (phòng), public service units, the divisions of districts, communes
and the provincial office, and the party bodies.
"""

from __future__ import annotations

from engine.generate.common import nfc

# Departments: (id, name, divisions). The first division of each is its office (Văn phòng Sở).
DEPARTMENTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = tuple(
    (code, nfc(name), tuple((c, nfc(n)) for c, n in divisions))
    for code, name, divisions in (
        ("SNV", "Sở Nội vụ", (("TCBC", "Tổ chức, biên chế"), ("CCVC", "Công chức, viên chức"),
                              ("XDCQ", "Xây dựng chính quyền"), ("TDKT", "Thi đua, khen thưởng"),
                              ("LDVL", "Lao động - Việc làm"), ("VTLT", "Văn thư, lưu trữ"),
                              ("CTTN", "Công tác thanh niên"))),
        ("STC", "Sở Tài chính", (("NS", "Quản lý ngân sách"), ("DT", "Quản lý đầu tư"), ("GCS", "Giá - Công sản"),
                                 ("TCDN", "Tài chính doanh nghiệp"), ("DKKD", "Đăng ký kinh doanh"),
                                 ("THQH", "Tổng hợp, quy hoạch"), ("HCSN", "Tài chính hành chính sự nghiệp"))),
        ("SYT", "Sở Y tế", (("NVY", "Nghiệp vụ Y"), ("KHTC", "Kế hoạch - Tài chính"), ("NVD", "Nghiệp vụ Dược"),
                            ("TCCB", "Tổ chức cán bộ"), ("BTXH", "Bảo trợ xã hội"), ("DS", "Dân số"),
                            ("ATTP", "An toàn thực phẩm"))),
        ("SGDDT", "Sở Giáo dục và Đào tạo", (("GDTH", "Giáo dục Trung học"), ("TCCB", "Tổ chức cán bộ"),
                                             ("GDMN", "Giáo dục Mầm non"), ("GDTX", "Giáo dục thường xuyên"),
                                             ("KTKD", "Khảo thí và Kiểm định chất lượng"),
                                             ("KHTC", "Kế hoạch - Tài chính"), ("GDTiH", "Giáo dục Tiểu học"))),
        ("SNNMT", "Sở Nông nghiệp và Môi trường", (("TT", "Trồng trọt và Bảo vệ thực vật"), ("DD", "Đất đai"),
                                                   ("MT", "Môi trường"), ("CN", "Chăn nuôi và Thú y"),
                                                   ("TL", "Thủy lợi"), ("KHTC", "Kế hoạch - Tài chính"),
                                                   ("TNN", "Tài nguyên nước"))),
        ("SXD", "Sở Xây dựng", (("QLXD", "Quản lý xây dựng"), ("QHKT", "Quy hoạch - Kiến trúc"),
                                ("GT", "Quản lý giao thông"), ("NO", "Nhà ở và Thị trường bất động sản"),
                                ("VT", "Quản lý vận tải"), ("HTKT", "Hạ tầng kỹ thuật"),
                                ("KTVL", "Kinh tế và Vật liệu"))),
        ("SCT", "Sở Công Thương", (("QLCN", "Quản lý công nghiệp"), ("QLTM", "Quản lý thương mại"),
                                   ("QLNL", "Quản lý năng lượng"), ("KTAT", "Kỹ thuật an toàn - Môi trường"),
                                   ("XNK", "Xuất nhập khẩu"), ("QLTT", "Quản lý thị trường"),
                                   ("KHTC", "Kế hoạch - Tài chính"))),
        ("SKHCN", "Sở Khoa học và Công nghệ", (("QLKH", "Quản lý khoa học"), ("CNS", "Chuyển đổi số"),
                                               ("BCVT", "Bưu chính, viễn thông"),
                                               ("TDC", "Tiêu chuẩn Đo lường Chất lượng"),
                                               ("SHTT", "Sở hữu trí tuệ"), ("KHTC", "Kế hoạch - Tài chính"),
                                               ("CNTT", "Công nghệ thông tin"))),
        ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", (("QLVH", "Quản lý văn hóa"), ("QLDL", "Quản lý du lịch"),
                                                        ("QLTT", "Quản lý thể dục thể thao"), ("GD", "Gia đình"),
                                                        ("DSVH", "Di sản văn hóa"), ("TTBC", "Thông tin - Báo chí"),
                                                        ("KHTC", "Kế hoạch - Tài chính"))),
        ("STP", "Sở Tư pháp", (("XDVB", "Xây dựng và Kiểm tra văn bản"), ("PBGD", "Phổ biến, giáo dục pháp luật"),
                               ("HCTP", "Hành chính tư pháp"), ("BTTP", "Bổ trợ tư pháp"),
                               ("QLXL", "Quản lý xử lý vi phạm hành chính"),
                               ("TGPL", "Trợ giúp pháp lý"), ("CT", "Chứng thực"))),
        ("SDTTG", "Sở Dân tộc và Tôn giáo", (("CSDT", "Chính sách dân tộc"), ("TG", "Tôn giáo"),
                                             ("KHTH", "Kế hoạch - Tổng hợp"), ("TTDT", "Tuyên truyền"),
                                             ("DTTS", "Địa bàn dân tộc thiểu số"),
                                             ("TCTG", "Tổ chức tôn giáo"), ("HTQT", "Hợp tác quốc tế"))),
        ("SNGV", "Sở Ngoại vụ", (("LT", "Lãnh sự"), ("HTQT", "Hợp tác quốc tế"), ("BG", "Biên giới"),
                                 ("NVNONN", "Người Việt Nam ở nước ngoài"), ("TTDN", "Thông tin đối ngoại"),
                                 ("LT2", "Lễ tân"), ("KTDN", "Kinh tế đối ngoại"))),
        ("TTT", "Thanh tra tỉnh", (("NV1", "Nghiệp vụ 1"), ("NV2", "Nghiệp vụ 2"), ("PCTN", "Phòng, chống tham nhũng"),
                                   ("TCD", "Tiếp công dân, xử lý đơn"),
                                   ("GSKT", "Giám sát, kiểm tra và xử lý sau thanh tra"),
                                   ("NV3", "Nghiệp vụ 3"), ("NV4", "Nghiệp vụ 4"))),
    )
)
# Public service units (đơn vị sự nghiệp): department -> named units, then a numbered pattern.
SERVICE_UNITS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, str]]] = {
    "SYT": ((("BVDK", "Bệnh viện Đa khoa tỉnh {p}"), ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh {p}"),
             ("BVYHCT", "Bệnh viện Y dược cổ truyền tỉnh {p}"), ("BVSN", "Bệnh viện Sản - Nhi tỉnh {p}")),
            ("TTYT", "Trung tâm Y tế khu vực số {k}")),
    "SGDDT": ((("THPTC", "Trường Trung học phổ thông chuyên {p}"), ("CDSP", "Trường Cao đẳng Sư phạm {p}")),
              ("THPT", "Trường Trung học phổ thông số {k}")),
    "SNNMT": ((("TTKN", "Trung tâm Khuyến nông tỉnh {p}"), ("VPDK", "Văn phòng Đăng ký đất đai tỉnh {p}")),
              ("BQLR", "Ban Quản lý rừng phòng hộ số {k}")),
    "SNV": ((("TTLT", "Trung tâm Lưu trữ lịch sử tỉnh {p}"),), ("TTDVVL", "Trung tâm Dịch vụ việc làm số {k}")),
}
SERVICE_CYCLE = ("SYT", "SGDDT", "SYT", "SGDDT", "SGDDT", "SNNMT", "SYT", "SGDDT", "SNV")
DISTRICT_DIVISIONS = (("NV", "Nội vụ"), ("TCKH", "Tài chính - Kế hoạch"), ("GDDT", "Giáo dục và Đào tạo"),
                      ("TNMT", "Tài nguyên và Môi trường"), ("KT", "Kinh tế"), ("VHTT", "Văn hóa và Thông tin"))
COMMUNE_DIVISIONS = (("KT", "Kinh tế"), ("VHXH", "Văn hóa - Xã hội"), ("VP", "Văn phòng HĐND và UBND"))
PROVINCE_OFFICE_DIVISIONS = (("TH", "Tổng hợp"), ("KGVX", "Khoa giáo - Văn xã"), ("KT", "Kinh tế"),
                             ("NC", "Nội chính"), ("HCTC", "Hành chính - Tổ chức"), ("CNTT", "Tin học - Công báo"))
# Party bodies: (id, name, head, deputy, divisions); the province's name is added after "Tỉnh ủy" in unit names.
PARTY_BODIES = (
    ("BTCTU", "Ban Tổ chức Tỉnh ủy", "Trưởng Ban Tổ chức Tỉnh ủy", "Phó Trưởng Ban Tổ chức Tỉnh ủy",
     (("TCCS", "Tổ chức cơ sở đảng - đảng viên"), ("CB", "Cán bộ"))),
    ("VPTU", "Văn phòng Tỉnh ủy", "Chánh Văn phòng Tỉnh ủy", "Phó Chánh Văn phòng Tỉnh ủy",
     (("TH", "Tổng hợp"), ("HCLT", "Hành chính - Lưu trữ"))),
    ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy", "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy",
     (("KT1", "Kiểm tra số 1"), ("KT2", "Kiểm tra số 2"))),
    ("BTGDVTU", "Ban Tuyên giáo và Dân vận Tỉnh ủy", "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy",
     "Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", (("LLCT", "Lý luận chính trị"), ("DV", "Dân vận"))),
)
