"""Synonym and transliteration groups for query expansion, seeded with brands and common product
words (Korean, English, Konglish spellings). Edit them with ``manage.py search_synonyms``."""

from django.db import migrations, models

DEFAULT_GROUPS = [
    # brands and product lines: Latin and Hangul spellings
    "nike|나이키", "adidas|아디다스", "new balance|뉴발란스", "puma|푸마", "converse|컨버스",
    "vans|반스", "asics|아식스", "samsung|삼성", "galaxy|갤럭시", "apple|애플",
    "iphone|아이폰", "ipad|아이패드", "macbook|맥북", "airpods|에어팟", "lg|엘지",
    "sony|소니", "xiaomi|샤오미", "lenovo|레노버", "logitech|로지텍", "dyson|다이슨",
    "cuckoo|쿠쿠", "philips|필립스", "the north face|north face|노스페이스|노페",
    "patagonia|파타고니아", "uniqlo|유니클로", "starbucks|스타벅스", "innisfree|이니스프리",
    "la roche-posay|라로슈포제", "coleman|콜맨", "hunter|헌터", "garmin|가민", "canon|캐논",
    "ikea|이케아", "muji|무인양품", "zara|자라",
    # product words
    "러닝화|런닝화|조깅화|running shoes|jogging shoes|runners",
    "운동화|스니커즈|sneakers|trainers|kicks",
    "등산화|트레킹화|hiking boots|trekking shoes",
    "장화|레인부츠|rain boots|wellies|galoshes",
    "노트북|랩탑|laptop|notebook computer",
    "스마트폰|휴대폰|핸드폰|smartphone|cellphone|mobile phone",
    "폰케이스|휴대폰 케이스|phone case",
    "무선 이어폰|블루투스 이어폰|이어버드|wireless earbuds|earbuds|earphones",
    "스마트워치|smartwatch|fitness tracker",
    "태블릿|tablet",
    "키보드|keyboard", "마우스|mouse",
    "선크림|썬크림|자외선 차단제|sunscreen|sunblock|sun cream",
    "수분크림|보습크림|moisturizer|moisturiser|face cream|face lotion",
    "핸드크림|hand cream",
    "롱패딩|패딩|다운 점퍼|puffer|puffer coat|down jacket|parka",
    "코트|overcoat|coat",
    "후리스|플리스|fleece",
    "귤|감귤|밀감|tangerine|mandarin|clementine",
    "사과|apples",
    "배낭|백팩|backpack",
    "덤벨|아령|dumbbell|free weights",
    "요가매트|yoga mat",
    "자전거|로드자전거|bicycle|bike|road bike",
    "전기밥솥|밥솥|rice cooker",
    "에어프라이어|air fryer",
    "무선청소기|청소기|vacuum|vacuum cleaner|cordless vacuum",
    "원두|커피 원두|커피콩|coffee beans|espresso beans",
    "카페|커피숍|cafe|café|coffee shop",
    "텐트|tent", "침낭|sleeping bag", "캣타워|cat tree|cat tower",
    "강아지 사료|애견 사료|dog food|kibble",
    "우산|장우산|umbrella", "귀걸이|earrings", "샴푸|shampoo", "립스틱|lipstick",
    "김치|kimchi", "선글라스|sunglasses",
]  # fmt: skip


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.bulk_create(
        SynonymGroup(terms=line.split("|"), note="default") for line in DEFAULT_GROUPS
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_posting_covering_index")]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("terms", models.JSONField(help_text="Lower-case words or phrases, at least two.")),
                ("note", models.CharField(blank=True, max_length=200)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
