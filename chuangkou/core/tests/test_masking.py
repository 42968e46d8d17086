from chuangkou.core.masking import mask_email, mask_name, mask_phone


def test_mask_name_keeps_the_surname_only():
    assert mask_name("李建华") == "李**"
    assert mask_name("欧阳明华") == "欧阳**"
    assert mask_name("欧阳") == "欧*"


def test_mask_phone_keeps_the_first_three_and_last_four_digits():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone(" 0571-87654321 ") == "057******4321"


def test_mask_phone_masks_a_short_number_whole():
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""


def test_mask_email_keeps_the_first_letter_and_the_domain():
    assert mask_email("zhangwei@example.cn") == "z***@example.cn"
    assert mask_email("not-an-address") == "***"
