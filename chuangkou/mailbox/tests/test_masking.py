"""Masking of personal data before a letter and its reply are published (个人信息保护法
第二十五条、第二十八条; regulations.md §10). Pure: no database."""

import pytest

from chuangkou.mailbox import masking
from chuangkou.mailbox.masking import mask_letter_text, mask_name, names_in_text

LETTER = (
    "尊敬的领导：我叫王小明，身份证号330106199001011237，住在西湖区文三路 123 号 5 幢 201 室。"
    "我家楼下的烧烤店每晚营业到凌晨两点，油烟和噪音严重影响休息。店主张三丰先生的车浙A12345"
    "长期占用消防通道。请尽快处理。联系电话13812345678，座机0571-87654321，"
    "邮箱wangxm@example.com。"
)


def test_module_docstring_names_its_legal_sources():
    assert "个人信息保护法" in masking.__doc__
    assert "第二十五条" in masking.__doc__ and "第二十八条" in masking.__doc__
    assert "regulations.md §10" in masking.__doc__


def test_a_real_looking_letter_keeps_no_personal_data():
    masked = mask_letter_text(LETTER, known=["王小明", "13812345678", "西湖区文三路123号"])
    for secret in ("王小明", "330106199001011237", "123 号", "201", "张三丰", "浙A12345",
                   "13812345678", "87654321", "wangxm@"):
        assert secret not in masked, secret
    assert "我叫王**" in masked
    assert "文三路***号*幢***室" in masked
    assert "张**先生" in masked
    assert "浙A*****" in masked
    # What the letter is about stays readable.
    assert "烧烤店每晚营业到凌晨两点" in masked and "消防通道" in masked


def test_everything_the_publishing_checks_mask_is_masked():
    text = "身份证330106199001011237，银行卡6222020200112233446，手机 138 1234 5678，a.b@qq.com"
    masked = mask_letter_text(text)
    assert "330106199001011237" not in masked
    assert "6222020200112233446" not in masked
    assert "1234" not in masked.split("手机")[1].split("，")[0]
    assert "a.b@qq.com" not in masked


def test_an_id_number_with_a_wrong_check_character_is_still_masked():
    masked = mask_letter_text("身份证号330106199001011230。")
    assert masked == "身份证号3301**********1230。"


@pytest.mark.parametrize(("text", "expected"), [
    ("联系座机0571-87654321。", "联系座机0571-********。"),
    ("电话（010）62345678转123", "电话（010）********转***"),
    ("办公电话 0571 8765 4321", "办公电话 0571 **** ****"),
    ("请拨057187654321", "请拨0571********"),
])
def test_landlines_keep_only_the_area_code(text, expected):
    assert mask_letter_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("车牌号浙A12345的车辆", "车牌号浙A*****的车辆"),
    ("新能源车浙AD12345乱停", "新能源车浙A******乱停"),
    ("一辆粤B 12345", "一辆粤B*****"),
    ("教练车苏E1234学", "教练车苏E*****"),
])
def test_plate_numbers_keep_the_province_and_city_letter(text, expected):
    assert mask_letter_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("住在文三路 123 号 5 幢 201 室", "住在文三路***号*幢***室"),
    ("漕溪北路100弄5号301室", "漕溪北路***弄*号***室"),
    ("阳光小区3幢2单元501室", "阳光小区*幢*单元***室"),
    ("王家村3组12号", "王家村*组**号"),
    ("中山路12号1-2-301", "中山路**号*-*-***"),
])
def test_street_addresses_keep_the_road_and_mask_the_numbers(text, expected):
    assert mask_letter_text(text) == expected


@pytest.mark.parametrize("text", [
    "中山路改造工程何时完工？",
    "示例市人民政府办公厅",
    "根据国办发〔2020〕53号文件，12345热线24小时受理。",
    "2026年3月5日上午9点，请有关部门同志、全体党员同志和司机师傅注意。",
    "感谢这位老先生，向王先生反映，谢谢李先生。",
    "本人于去年向贵单位反映，本人申请公开，本人马上搬家。",
    "地铁1号线和人民路两侧的绿化",
])
def test_ordinary_text_is_not_masked(text):
    assert mask_letter_text(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ("我叫王小明，住在附近。", "我叫王**，住在附近。"),
    ("本人张三住在这里", "本人张*住在这里"),
    ("本人李四反映一个问题", "本人李*反映一个问题"),
    ("姓名：欧阳娜娜，性别女", "姓名：欧阳**，性别女"),
    ("姓名:赵六", "姓名:赵*"),
])
def test_names_after_a_self_introduction_keep_only_the_surname(text, expected):
    assert mask_letter_text(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("店主张三丰先生", "店主张**先生"),
    ("感谢李明同志的帮助", "感谢李*同志的帮助"),
    ("社区的刘芳女士", "社区的刘*女士"),
    ("维修工周大勇师傅", "维修工周**师傅"),
    ("欧阳修先生", "欧阳*先生"),
    ("张先生和李女士", "张先生和李女士"),
])
def test_a_name_before_a_title_keeps_its_surname(text, expected):
    assert mask_letter_text(text) == expected


def test_a_name_found_once_is_masked_everywhere_in_the_text():
    masked = mask_letter_text("店主张三丰先生……后来张三丰又把车停在通道上。")
    assert "张三丰" not in masked
    assert masked.count("张**") == 2


def test_known_values_are_masked_anywhere():
    text = "王小明反映：王小明家住和平路12号，电话139-1234-5678，邮箱wxm@example.com"
    masked = mask_letter_text(text, known=["王小明", "13912345678", "示例市东城区和平路12号",
                                           "wxm@example.com"])
    assert "王小明" not in masked and masked.startswith("王**反映")
    assert "5678" not in masked
    assert "wxm@" not in masked
    assert "和平路**号" in masked


def test_the_writer_argument_adds_the_writers_details():
    class Writer:
        name = "陈美丽"
        phone = "0571-86001234"
        email = ""
        address = "幸福家园"

    masked = mask_letter_text("陈美丽住在幸福家园，电话0571-86001234", writer=Writer())
    assert masked == "陈**住在幸福**，电话****-********"


def test_a_single_character_known_value_is_ignored():
    assert mask_letter_text("王府井大街", known=["王"]) == "王府井大街"


def test_masking_twice_changes_nothing():
    once = mask_letter_text(LETTER, known=["王小明"])
    assert mask_letter_text(once, known=["王小明"]) == once


def test_names_in_text_lists_the_names_found_by_context():
    assert names_in_text("我叫王小明。店主张三丰先生、李四同志。") == ["张三丰", "王小明", "李四"]


def test_mask_name_keeps_a_compound_surname():
    assert mask_name("王小明") == "王**"
    assert mask_name("司马相如") == "司马**"
    assert mask_name("李四") == "李*"


def test_empty_text_stays_empty():
    assert mask_letter_text("") == ""


def test_a_short_known_value_that_is_not_a_name_is_masked_too():
    assert mask_letter_text("我住幸福里", known=["幸福"]) == "我住幸*里"


def test_public_numbers_stay_and_other_landlines_are_masked():
    text = "请拨打（0571）87654321或0571-86001234。"
    masked = mask_letter_text(text, public_numbers=["0571-87654321"])
    assert "（0571）87654321" in masked
    assert "86001234" not in masked and "0571-" in masked
