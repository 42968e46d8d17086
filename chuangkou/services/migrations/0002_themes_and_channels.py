"""The catalogue's fixed browse lists: 10 personal and 12 enterprise themes (as in Beijing's
electronic public service centre) and Jiangmen's six user channels (用户频道)."""

from django.db import migrations

PERSON_THEMES = (
    ("shengyu", "生育收养"), ("huji", "户籍办理"), ("jiaoyu", "教育科研"),
    ("jiuye", "就业创业"), ("hunyin", "婚姻登记"), ("shebao", "社会保障"),
    ("zhufang", "住房保障"), ("jiaotong", "交通出行"), ("yiliao", "医疗卫生"),
    ("wenlv", "文化旅游"),
)
ENTERPRISE_THEMES = (
    ("sheli", "设立变更"), ("zhunying", "准营准办"), ("zizhi", "资质认定"),
    ("nianjian", "年检年审"), ("shuishou", "税收财务"), ("renli", "人力资源"),
    ("shebao", "社会保障"), ("touzi", "投资审批"), ("zhishi", "知识产权"),
    ("shangwu", "商务贸易"), ("jianshe", "建设施工"), ("zhuxiao", "注销清算"),
)
CHANNELS = (
    ("shimin", "市民", "户籍、婚育、教育、社保、医疗等市民常办事项。"),
    ("qiye", "企业", "企业开办、经营、变更和注销。"),
    ("touzizhe", "投资者", "投资项目审批和投资环境信息。"),
    ("lvyouzhe", "旅游者", "旅游、出行和文化服务。"),
    ("huaqiao", "华侨", "华侨、港澳台同胞和外籍人士办事。"),
    ("sannong", "三农", "农业、农村和农民服务。"),
)


def add(apps, schema_editor):
    theme = apps.get_model("services", "ServiceTheme")
    channel = apps.get_model("services", "UserChannel")
    for audience, themes in (("person", PERSON_THEMES), ("enterprise", ENTERPRISE_THEMES)):
        for order, (slug, name) in enumerate(themes, start=1):
            theme.objects.get_or_create(audience=audience, slug=slug,
                                        defaults={"name": name, "sort_order": order})
    for order, (slug, name, description) in enumerate(CHANNELS, start=1):
        channel.objects.get_or_create(slug=slug, defaults={
            "name": name, "description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
