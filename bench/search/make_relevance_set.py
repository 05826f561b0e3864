"""Generate the larger relevance set (bench/search/data/relevance/): items, queries, judgments.

    .venv/bin/python bench/search/make_relevance_set.py     # deterministic (seed 11)

Items are products and posts of ~45 product types in Korean, English and mixed Korean/English,
written from per-type vocabularies (several surface names per type: 러닝화/런닝화/running shoes),
brands in both scripts (Nike/나이키), feature phrases, trade and review templates, and
distractors that share words with the queries (러닝 양말, 러닝크루, 핸드크림, 선글라스, 크림 파스타,
애플파이, 배 낚시, daily-life posts about rain or coffee).

Queries (six kinds: typo, compound, brand, synonym, cross, ambiguous) were written by hand below,
each with its intent as rules: which product types are what was asked and how much (3 exactly,
2 relevant, 1 related), optionally a brand (type and brand → 3, type only → 2, brand only → 1).
The judgments are those rules applied to every item, written out per query before any ranking
code was tuned; unlisted items are 0. Synonym queries use words that no item uses (조깅화, 랩탑):
only meaning or a synonym table can find them. The split is by intent (crc32 of the query's
types and brand, odd → dev): queries asking the same thing in two languages or spellings (Nike /
나이키) fall in the same half, so tuning on dev cannot see a held-out intent.
"""

from __future__ import annotations

import csv
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).parent / "data" / "relevance"
SEED = 11
SCALE = 1.15  # items per type: t.n * SCALE


@dataclass
class T:
    key: str
    ko: list[str]
    en: list[str]
    ko_feat: list[str]
    en_feat: list[str]
    brands: list[str] = field(default_factory=list)
    n: int = 24  # items of this type
    post_share: float = 0.45


BRANDS = {
    "nike": ("Nike", "나이키"),
    "adidas": ("Adidas", "아디다스"),
    "newbalance": ("New Balance", "뉴발란스"),
    "samsung": ("Samsung", "삼성"),
    "apple": ("Apple", "애플"),
    "lg": ("LG", "엘지"),
    "logitech": ("Logitech", "로지텍"),
    "dyson": ("Dyson", "다이슨"),
    "cuckoo": ("Cuckoo", "쿠쿠"),
    "northface": ("The North Face", "노스페이스"),
    "patagonia": ("Patagonia", "파타고니아"),
    "starbucks": ("Starbucks", "스타벅스"),
    "innisfree": ("Innisfree", "이니스프리"),
    "laroche": ("La Roche-Posay", "라로슈포제"),
    "coleman": ("Coleman", "콜맨"),
    "hunter": ("Hunter", "헌터"),
    "garmin": ("Garmin", "가민"),
    "philips": ("Philips", "필립스"),
}
# Product lines named instead of the kind of thing (an iPhone item need not say "phone").
LINES = {
    ("apple", "phone"): ("iPhone 15", "아이폰 15"),
    ("samsung", "phone"): ("Galaxy S24", "갤럭시 S24"),
    ("apple", "laptop"): ("MacBook Air", "맥북 에어"),
    ("lg", "laptop"): ("LG gram", "그램"),
    ("apple", "earbuds"): ("AirPods Pro", "에어팟 프로"),
    ("samsung", "earbuds"): ("Galaxy Buds", "갤럭시 버즈"),
    ("apple", "watch"): ("Apple Watch", "애플워치"),
    ("samsung", "watch"): ("Galaxy Watch", "갤럭시 워치"),
    ("apple", "tablet"): ("iPad Air", "아이패드 에어"),
    ("samsung", "tablet"): ("Galaxy Tab", "갤럭시 탭"),
    ("nike", "running_shoes"): ("Pegasus 40", "페가수스 40"),
}

TYPES = [
    T("running_shoes", ["러닝화", "런닝화"], ["running shoes", "runners"],
      ["쿠션감이 좋아서 장거리 달리기에 편해요", "발볼이 넓은 편이고 마라톤 연습용으로 샀어요"],
      ["great cushioning for long runs", "light enough for marathon training"],
      ["nike", "adidas", "newbalance"], 30),
    T("sneakers", ["운동화", "스니커즈"], ["sneakers"],
      ["데일리로 신기 좋은 흰색 신발", "청바지에 잘 어울리는 캐주얼 신발"],
      ["everyday white shoes", "casual shoes that go with jeans"],
      ["nike", "adidas", "newbalance"], 26),
    T("hiking_boots", ["등산화", "트레킹화"], ["hiking boots"],
      ["고어텍스라 비 오는 산길에도 발이 안 젖어요", "발목을 잘 잡아줘서 하산할 때 안정적"],
      ["waterproof for muddy mountain trails", "good ankle support on the way down"],
      ["northface", "patagonia"], 20),
    T("running_socks", ["러닝 양말", "스포츠 양말"], ["running socks", "athletic socks"],
      ["발바닥 쿠션이 있는 양말 5켤레", "땀 흡수가 잘 되는 양말"],
      ["pack of five cushioned socks", "moisture wicking socks"],
      ["nike", "adidas"], 14),
    T("running_crew", ["러닝크루", "달리기 모임"], ["running club", "running crew"],
      ["매주 토요일 아침 한강에서 같이 달려요", "초보도 환영하는 5km 모임"],
      ["we run along the river every Saturday morning", "beginners welcome, 5k pace"],
      [], 14, 1.0),
    T("sunscreen", ["선크림", "썬크림"], ["sunscreen", "sunblock"],
      ["SPF50 PA++++ 백탁 없이 산뜻해요", "여름 야외활동할 때 자외선 차단 잘 돼요"],
      ["SPF 50 with no white cast", "protects from UV on summer days outside"],
      ["innisfree", "laroche"], 26),
    T("hand_cream", ["핸드크림"], ["hand cream"],
      ["겨울에 손이 트지 않게 발라요", "끈적임 없이 빨리 흡수되는 향 좋은 크림"],
      ["keeps hands from cracking in winter", "absorbs fast, smells nice"],
      ["innisfree"], 16),
    T("moisturizer", ["수분크림", "보습크림"], ["moisturizer", "face cream"],
      ["건성 피부에 촉촉하게 보습돼요", "세안 후 바르는 얼굴 크림"],
      ["hydrating cream for dry skin", "face cream after washing"],
      ["innisfree", "laroche"], 20),
    T("sunglasses", ["선글라스"], ["sunglasses"],
      ["편광 렌즈라 운전할 때 눈부심이 덜해요", "여름 휴가용 선글라스"],
      ["polarized lenses for driving", "shades for a summer holiday"],
      [], 14),
    T("padding", ["롱패딩", "패딩"], ["puffer coat", "down jacket"],
      ["영하 15도에도 따뜻한 구스다운", "후드 털이 탈착되는 겨울 외투"],
      ["goose down, warm at minus 15", "winter coat with a removable fur hood"],
      ["northface", "patagonia"], 28),
    T("wool_coat", ["울코트", "코트"], ["wool coat", "overcoat"],
      ["캐멀색 클래식 코트 출근룩", "캐시미어 혼방이라 가볍고 따뜻함"],
      ["classic camel coat for the office", "cashmere blend, light and warm"],
      [], 20),
    T("fleece", ["후리스", "플리스 자켓"], ["fleece jacket"],
      ["가을 캠핑에 입기 좋은 보온 자켓", "집업 스타일 간절기 아우터"],
      ["warm layer for autumn camping", "zip-up jacket for between seasons"],
      ["patagonia", "northface"], 20),
    T("laptop", ["노트북"], ["laptop"],
      ["가벼워서 들고 다니며 코딩하기 좋아요", "배터리가 하루 종일 가는 업무용 컴퓨터"],
      ["light enough to carry to class", "battery lasts a full work day"],
      ["apple", "samsung", "lg"], 30),
    T("laptop_pouch", ["노트북 파우치", "노트북 가방"], ["laptop sleeve", "laptop bag"],
      ["13인치 노트북이 쏙 들어가는 파우치", "충격 방지 쿠션이 들어간 가방"],
      ["fits a 13 inch laptop", "padded against bumps"],
      [], 12),
    T("phone", ["스마트폰", "휴대폰"], ["smartphone"],
      ["카메라 화질이 좋고 배터리 성능 괜찮아요", "자급제 공기계 256GB"],
      ["great camera and solid battery life", "unlocked, 256GB"],
      ["apple", "samsung"], 30),
    T("phone_case", ["폰케이스", "휴대폰 케이스"], ["phone case"],
      ["떨어뜨려도 안 깨지는 투명 케이스", "카드 수납되는 지갑형 케이스"],
      ["clear case that survives drops", "wallet case with card slots"],
      [], 18),
    T("earbuds", ["무선 이어폰", "블루투스 이어폰"], ["wireless earbuds", "earphones"],
      ["노이즈 캔슬링이 돼서 지하철에서 조용해요", "귀에 잘 맞고 통화 품질 좋음"],
      ["noise cancelling makes the subway quiet", "comfortable fit and clear calls"],
      ["apple", "samsung"], 26),
    T("earrings", ["귀걸이"], ["earrings"],
      ["925 실버 데일리 귀걸이", "진주가 달린 선물용 액세서리"],
      ["sterling silver everyday studs", "pearl drops, nice as a gift"],
      [], 18),
    T("mouse", ["무선 마우스", "마우스"], ["wireless mouse"],
      ["손목이 편한 버티컬 모양", "클릭 소리가 조용한 사무용"],
      ["vertical shape, easy on the wrist", "silent clicks for the office"],
      ["logitech"], 16),
    T("keyboard", ["기계식 키보드", "키보드"], ["mechanical keyboard"],
      ["갈축이라 타건감이 좋아요", "텐키리스 배열에 블루투스 연결"],
      ["tactile brown switches", "tenkeyless layout with bluetooth"],
      ["logitech"], 18),
    T("tangerine", ["귤", "감귤"], ["tangerines", "mandarins"],
      ["제주 농장에서 바로 딴 새콤달콤한 과일", "껍질이 얇고 당도 높은 겨울 과일"],
      ["picked on a Jeju farm, sweet and tangy", "thin peel and very sweet winter fruit"],
      [], 26),
    T("apple_fruit", ["사과", "부사"], ["apples"],
      ["아삭하고 달콤한 경북 과일 5kg", "껍질째 먹는 제철 과일"],
      ["crisp and sweet, 5 kg box", "seasonal fruit you can eat with the peel"],
      [], 18),
    T("apple_pie", ["애플파이"], ["apple pie"],
      ["시나몬 향 가득한 수제 파이", "동네 빵집 디저트 추천"],
      ["homemade pie full of cinnamon", "a bakery dessert I love"],
      [], 8, 1.0),
    T("pear", ["배", "신고배"], ["pears", "Asian pear"],
      ["과즙이 많은 나주 과일 선물세트", "시원하고 달아서 명절 선물로 좋아요"],
      ["juicy Naju fruit gift box", "sweet and cool, a holiday gift"],
      [], 14),
    T("boat_fishing", ["배낚시", "낚싯배"], ["boat fishing"],
      ["새벽에 출항해서 우럭 잡았어요", "선상 낚시 초보 준비물"],
      ["left the harbour at dawn and caught rockfish", "what to bring on a fishing trip at sea"],
      [], 10, 1.0),
    T("coffee_beans", ["원두", "커피 원두"], ["coffee beans"],
      ["산미 있는 에티오피아 싱글오리진", "갓 볶은 홀빈 200g"],
      ["bright Ethiopian single origin", "freshly roasted whole bean, 200 g"],
      ["starbucks"], 20),
    T("cafe", ["카페", "커피숍"], ["café", "coffee shop"],
      ["창가 자리가 예쁜 동네 카페 방문기", "라떼가 맛있고 디저트도 좋아요"],
      ["a cozy neighbourhood spot with window seats", "lovely latte and cakes"],
      [], 18, 1.0),
    T("tent", ["텐트"], ["tent"],
      ["4인용이라 가족 캠핑에 넉넉해요", "설치가 5분이면 끝나는 원터치"],
      ["roomy for a family of four", "pops up in five minutes"],
      ["coleman"], 20),
    T("sleeping_bag", ["침낭"], ["sleeping bag"],
      ["동계 캠핑에도 따뜻한 덕다운", "압축하면 작아져서 백패킹용"],
      ["warm enough for winter camping", "packs small for backpacking"],
      ["coleman", "northface"], 14),
    T("dog_food", ["강아지 사료", "애견 사료"], ["dog food"],
      ["알러지 있는 아이도 잘 먹는 그레인프리", "소형견용 작은 알갱이"],
      ["grain free for sensitive pups", "small kibble for small breeds"],
      [], 18),
    T("cat_tower", ["캣타워"], ["cat tree", "cat tower"],
      ["스크래쳐 달린 3단 원목", "고양이가 제일 좋아하는 해먹"],
      ["three levels with a scratching post", "the hammock is my cat's favourite"],
      [], 14),
    T("rice_cooker", ["전기밥솥", "밥솥"], ["rice cooker"],
      ["1인 가구용 3인분 압력", "잡곡밥도 맛있게 돼요"],
      ["pressure cooker, 3 cups, for one person", "makes great multigrain rice"],
      ["cuckoo"], 18),
    T("air_fryer", ["에어프라이어"], ["air fryer"],
      ["냉동 치킨 돌리면 바삭해요", "5.5L 대용량 바스켓"],
      ["frozen chicken comes out crispy", "5.5 L basket"],
      ["philips"], 16),
    T("vacuum", ["무선청소기", "청소기"], ["cordless vacuum", "stick vacuum"],
      ["흡입력 좋고 배터리 40분", "반려동물 털도 잘 빨아들여요"],
      ["strong suction, 40 minutes of battery", "picks up pet hair easily"],
      ["dyson", "samsung", "lg"], 24),
    T("umbrella", ["우산", "장우산"], ["umbrella"],
      ["바람에 안 뒤집히는 튼튼한 살대", "가방에 쏙 들어가는 3단"],
      ["does not flip in the wind", "folds small enough for a bag"],
      [], 14),
    T("rain_boots", ["장화", "레인부츠"], ["rain boots", "wellies"],
      ["장마철에 발이 하나도 안 젖어요", "비 오는 날 신는 고무 신발"],
      ["kept my feet dry all monsoon season", "rubber boots for rainy days"],
      ["hunter"], 14),
    T("backpack", ["백팩", "배낭"], ["backpack"],
      ["노트북 수납되는 출퇴근 가방", "수납공간 많은 여행용"],
      ["commuter bag with a laptop pocket", "lots of pockets for travel"],
      ["northface", "nike"], 20),
    T("kimchi", ["김치", "포기김치"], ["kimchi"],
      ["엄마 손맛 그대로 담근 배추김치", "잘 익어서 찌개 끓이기 좋아요"],
      ["homemade napa cabbage kimchi", "nicely fermented, perfect for stew"],
      [], 16),
    T("yoga_mat", ["요가매트"], ["yoga mat"],
      ["미끄럽지 않은 8mm 두께", "홈트할 때 무릎이 안 아파요"],
      ["non slip, 8 mm thick", "easy on the knees for home workouts"],
      [], 14),
    T("camping_mat", ["캠핑 매트", "에어매트"], ["camping mat", "sleeping pad"],
      ["자충식이라 바닥 냉기를 막아줘요", "텐트 안에 까는 두꺼운 매트"],
      ["self inflating, blocks the cold ground", "thick pad for inside the tent"],
      ["coleman"], 12),
    T("dumbbell", ["덤벨"], ["dumbbells"],
      ["무게 조절되는 홈트용 세트", "5kg 두 개 미사용"],
      ["adjustable set for home workouts", "pair of 5 kg, unused"],
      [], 14),
    T("bicycle", ["자전거", "로드자전거"], ["bicycle", "road bike"],
      ["출퇴근용으로 가볍고 빠른", "카본 프레임 21단 기어"],
      ["light and quick for commuting", "carbon frame, 21 gears"],
      [], 18),
    T("watch", ["스마트워치"], ["smartwatch"],
      ["심박수랑 수면 기록이 정확해요", "러닝할 때 GPS로 거리 측정"],
      ["accurate heart rate and sleep tracking", "GPS distance on runs"],
      ["apple", "samsung", "garmin"], 22),
    T("tablet", ["태블릿"], ["tablet"],
      ["펜으로 필기하기 좋은 화면", "넷플릭스 보기 좋은 11인치"],
      ["great for taking notes with a pen", "11 inch screen for streaming"],
      ["apple", "samsung"], 18),
    T("shampoo", ["샴푸"], ["shampoo"],
      ["두피가 시원해지는 탈모 케어", "향이 오래가는 대용량"],
      ["cooling scalp care", "large bottle, lasting scent"],
      [], 14),
    T("lipstick", ["립스틱"], ["lipstick"],
      ["매트한 로즈 컬러 데일리", "촉촉하게 발리는 립"],
      ["matte rose shade for every day", "creamy and moisturising"],
      [], 12),
    T("cream_pasta", ["크림파스타"], ["cream pasta"],
      ["베이컨 넣은 꾸덕한 레시피", "집에서 10분 만에 만드는 저녁"],
      ["rich bacon recipe", "ten minute dinner at home"],
      [], 8, 1.0),
]  # fmt: skip

DAILY = [
    ("비 오는 날 창밖 보며 멍때리기", "오늘 하루 종일 비가 와서 집에서 쉬었어요"),
    ("오늘 점심 메뉴 고민", "회사 근처에 새로 생긴 식당 가봤는데 괜찮았어요"),
    ("주말에 한강 산책", "날씨가 좋아서 사람이 정말 많았어요"),
    ("Rainy Sunday at home", "Stayed in all day watching movies while it poured"),
    ("Weekend walk by the river", "The weather was perfect and the park was crowded"),
    ("출근길 지하철 너무 붐벼요", "아침마다 사람이 많아서 힘들어요 morning commute 최악"),
    ("이사 준비 체크리스트", "짐 싸는 중인데 버릴 게 너무 많네요"),
    ("Moving checklist", "Packing boxes and throwing out way too much stuff"),
    ("새해 목표 세우기", "올해는 책 20권 읽기랑 운동 꾸준히 하기"),
    ("제주도 여행 3박 4일", "바다 보고 맛집 다니고 너무 좋았어요"),
    ("Trip to Jeju island", "Beaches, black pork and a lot of walking"),
    ("겨울 감성 사진 모음", "눈 오는 날 찍은 사진들 올려요"),
    ("커피 끊기 도전 일주일째", "두통이 심하지만 버티는 중이에요"),
    ("Quitting coffee, day 7", "Headaches but holding on"),
    ("동네 고양이 근황", "오늘도 편의점 앞에서 낮잠 자고 있었어요"),
    ("봄맞이 대청소", "창문 닦고 이불 빨래까지 끝냈어요"),
]

KO_ADJ = ["새상품", "정품", "2024년형", "미개봉", "급처", "거의 새것", "중고", "한정판"]
EN_ADJ = ["new", "genuine", "2024 model", "sealed", "like new", "used", "limited edition"]
KO_TRADE = ["직거래 가능해요", "택배비 포함입니다", "네고 가능", "박스 있어요", "상태 좋아요"]
EN_TRADE = ["Shipping included.", "Price negotiable.", "Comes with the box.", "Barely used."]
KO_POST_TITLE = [
    "{name} {n}개월 사용 후기", "{name} 추천 좀 해주세요", "{name} 샀어요", "{name} 고르는 팁",
    "{name} 내돈내산 리뷰", "요즘 쓰는 {name}",
]  # fmt: skip
EN_POST_TITLE = [
    "My {name} after {n} months", "Which {name} should I buy?", "Tips for choosing {name}",
    "Honest {name} review", "Finally got new {name}",
]  # fmt: skip
MIX_POST_TITLE = ["{en} {n}개월 후기", "{ko} 추천 부탁 (looking for {en})", "{en} 샀어요 review"]
KO_POST_TAIL = ["다들 어떻게 생각하세요?", "궁금한 거 물어보세요", "재구매 의사 있어요", ""]
EN_POST_TAIL = ["What do you think?", "Happy to answer questions.", "Would buy again.", ""]


def _name(t: T, brand: str | None, lang: str, rng: random.Random) -> tuple[str, str, str]:
    """(display name, ko word, en word) of an item of type t."""
    ko, en = rng.choice(t.ko), rng.choice(t.en)
    if brand and (brand, t.key) in LINES and rng.random() < 0.7:
        en_line, ko_line = LINES[(brand, t.key)]
        ko, en = ko_line, en_line
    b_en, b_ko = BRANDS[brand] if brand else ("", "")
    if lang == "ko":
        return " ".join(x for x in (b_ko, ko) if x), ko, en
    if lang == "en":
        return " ".join(x for x in (b_en, en) if x), ko, en
    # mixed: a Latin brand or product word with Korean around it
    if rng.random() < 0.5:
        return " ".join(x for x in (b_en, ko) if x), ko, en
    return " ".join(x for x in (b_ko, en) if x), ko, en


def make_items(rng: random.Random) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    for t in TYPES:
        for _ in range(round(t.n * SCALE)):
            lang = rng.choices(["ko", "en", "mix"], weights=[45, 30, 25])[0]
            kind = "post" if rng.random() < t.post_share else "product"
            brand = rng.choice(t.brands) if t.brands and rng.random() < 0.7 else None
            name, ko, en = _name(t, brand, lang, rng)
            if kind == "product":
                if lang == "ko":
                    title = f"{name} {rng.choice(KO_ADJ)}"
                    body = f"{rng.choice(t.ko_feat)}. {rng.choice(KO_TRADE)}"
                elif lang == "en":
                    title = f"{name} ({rng.choice(EN_ADJ)})"
                    body = f"{rng.choice(t.en_feat).capitalize()}. {rng.choice(EN_TRADE)}"
                else:
                    title = f"{name} {rng.choice(KO_ADJ)}"
                    body = (
                        f"{rng.choice(t.en_feat)} — {rng.choice(t.ko_feat)}. {rng.choice(KO_TRADE)}"
                    )
            else:
                n = rng.randint(1, 12)
                if lang == "ko":
                    title = rng.choice(KO_POST_TITLE).format(name=name, n=n)
                    feats = rng.sample(t.ko_feat, len(t.ko_feat))
                    body = f"{feats[0]}. {feats[1]}. {rng.choice(KO_POST_TAIL)}".strip()
                elif lang == "en":
                    title = rng.choice(EN_POST_TITLE).format(name=name, n=n)
                    feats = rng.sample(t.en_feat, len(t.en_feat))
                    body = f"{feats[0].capitalize()}. {feats[1].capitalize()}. {rng.choice(EN_POST_TAIL)}".strip()  # noqa: E501
                else:
                    b_en, b_ko = BRANDS[brand] if brand else ("", "")
                    en_name = f"{b_en} {en}".strip()
                    ko_name = f"{b_ko} {ko}".strip()
                    title = rng.choice(MIX_POST_TITLE).format(en=en_name, ko=ko_name, n=n)
                    body = f"{rng.choice(t.ko_feat)}, {rng.choice(t.en_feat)}. {rng.choice(KO_POST_TAIL)}".strip()  # noqa: E501
            items.append(
                {"kind": kind, "type": t.key, "brand": brand or "", "lang": lang,
                 "title": title, "body": body}
            )  # fmt: skip
    for i in range(90):  # daily-life posts: never relevant
        title, body = DAILY[i % len(DAILY)]
        items.append(
            {"kind": "post", "type": "daily", "brand": "", "lang": "ko",
             "title": title if i < len(DAILY) else f"{title} ({i // len(DAILY) + 1})",
             "body": body}
        )  # fmt: skip
    rng.shuffle(items)
    for n, item in enumerate(items, start=1):
        item["id"] = f"i{n:04d}"
    return items


# (kind, query, {type: grade}, brand or "") — grades: 3 exactly what was asked, 2 relevant,
# 1 related. With a brand: type and brand → the type's grade, type only → grade - 1,
# brand only (other type) → 1. Brand-only queries list no types: every item of the brand → 3.
Q = [
    # typos, Hangul and Latin
    ("typo", "갤력시", {}, "samsung_galaxy"),
    ("typo", "tangerin", {"tangerine": 3}, ""),
    ("typo", "earings", {"earrings": 3}, ""),
    ("typo", "러닝하", {"running_shoes": 3, "running_socks": 1}, ""),
    ("typo", "나이귀 운동화", {"sneakers": 3, "running_shoes": 2}, "nike"),
    ("typo", "sunscren", {"sunscreen": 3}, ""),
    ("typo", "선크린", {"sunscreen": 3}, ""),
    ("typo", "snekers", {"sneakers": 3, "running_shoes": 1}, ""),
    ("typo", "labtop", {"laptop": 3, "laptop_pouch": 1}, ""),
    ("typo", "노트분", {"laptop": 3, "laptop_pouch": 1}, ""),
    ("typo", "다이손 청소기", {"vacuum": 3}, "dyson"),
    ("typo", "에어프라이기", {"air_fryer": 3}, ""),
    ("typo", "캣타우어", {"cat_tower": 3}, ""),
    ("typo", "mechanical keybord", {"keyboard": 3}, ""),
    ("typo", "smartwach", {"watch": 3}, ""),
    ("typo", "스마트웟치", {"watch": 3}, ""),
    ("typo", "요가메트", {"yoga_mat": 3}, ""),
    ("typo", "umbrela", {"umbrella": 3}, ""),
    ("typo", "backpak", {"backpack": 3}, ""),
    ("typo", "백펙", {"backpack": 3}, ""),
    ("typo", "wireles earbuds", {"earbuds": 3}, ""),
    ("typo", "블루투쓰 이어폰", {"earbuds": 3}, ""),
    ("typo", "noth face", {}, "northface"),
    ("typo", "파타고이나", {}, "patagonia"),
    ("typo", "키보트", {"keyboard": 3}, ""),
    ("typo", "sleping bag", {"sleeping_bag": 3}, ""),
    ("typo", "롱페딩", {"padding": 3, "wool_coat": 1, "fleece": 1}, ""),
    ("typo", "hikking boots", {"hiking_boots": 3, "rain_boots": 1}, ""),
    ("typo", "rice coocker", {"rice_cooker": 3}, ""),
    ("typo", "덤밸", {"dumbbell": 3}, ""),
    ("typo", "tabelt", {"tablet": 3}, ""),
    ("typo", "셤푸", {"shampoo": 3}, ""),
    ("typo", "립스딕", {"lipstick": 3}, ""),
    ("typo", "moisturiser", {"moisturizer": 3}, ""),
    ("typo", "자전가", {"bicycle": 3}, ""),
    ("typo", "coffe beans", {"coffee_beans": 3, "cafe": 1}, ""),
    # compounds: kept whole, written with or without spaces
    ("compound", "러닝화", {"running_shoes": 3, "running_socks": 1, "sneakers": 1}, ""),
    ("compound", "선크림", {"sunscreen": 3, "moisturizer": 1}, ""),
    ("compound", "핸드크림", {"hand_cream": 3, "moisturizer": 1}, ""),
    ("compound", "롱패딩", {"padding": 3, "wool_coat": 1}, ""),
    ("compound", "무선청소기", {"vacuum": 3}, ""),
    ("compound", "전기밥솥", {"rice_cooker": 3}, ""),
    ("compound", "요가매트", {"yoga_mat": 3, "camping_mat": 1}, ""),
    ("compound", "캣타워", {"cat_tower": 3}, ""),
    ("compound", "폰케이스", {"phone_case": 3}, ""),
    ("compound", "등산화", {"hiking_boots": 3, "running_shoes": 1}, ""),
    ("compound", "레인부츠", {"rain_boots": 3}, ""),
    ("compound", "기계식키보드", {"keyboard": 3}, ""),
    ("compound", "무선이어폰", {"earbuds": 3}, ""),
    ("compound", "스마트워치", {"watch": 3}, ""),
    ("compound", "강아지사료", {"dog_food": 3}, ""),
    ("compound", "수분크림", {"moisturizer": 3, "hand_cream": 1}, ""),
    ("compound", "에어프라이어", {"air_fryer": 3}, ""),
    ("compound", "로드자전거", {"bicycle": 3}, ""),
    ("compound", "커피원두", {"coffee_beans": 3, "cafe": 1}, ""),
    ("compound", "포기김치", {"kimchi": 3}, ""),
    ("compound", "노트북파우치", {"laptop_pouch": 3, "laptop": 1}, ""),
    ("compound", "러닝양말", {"running_socks": 3}, ""),
    ("compound", "캠핑매트", {"camping_mat": 3, "yoga_mat": 1, "tent": 1}, ""),
    ("compound", "배낚시", {"boat_fishing": 3}, ""),
    ("compound", "애플파이", {"apple_pie": 3}, ""),
    ("compound", "크림파스타", {"cream_pasta": 3}, ""),
    ("compound", "sunblock", {"sunscreen": 3}, ""),
    ("compound", "raincoat boots", {"rain_boots": 3, "umbrella": 1}, ""),
    ("compound", "running shoes", {"running_shoes": 3, "running_socks": 1, "sneakers": 1}, ""),
    ("compound", "handcream", {"hand_cream": 3}, ""),
    ("compound", "러닝크루", {"running_crew": 3}, ""),
    ("compound", "장우산", {"umbrella": 3}, ""),
    ("compound", "달리기모임", {"running_crew": 3}, ""),
    ("compound", "sleepingbag", {"sleeping_bag": 3}, ""),
    # brands and transliterations
    ("brand", "Nike", {}, "nike"),
    ("brand", "나이키", {}, "nike"),
    ("brand", "나이키 러닝화", {"running_shoes": 3}, "nike"),
    ("brand", "nike running shoes", {"running_shoes": 3}, "nike"),
    ("brand", "아디다스 운동화", {"sneakers": 3, "running_shoes": 2}, "adidas"),
    ("brand", "adidas", {}, "adidas"),
    ("brand", "뉴발란스", {}, "newbalance"),
    ("brand", "new balance running", {"running_shoes": 3}, "newbalance"),
    ("brand", "다이슨", {}, "dyson"),
    ("brand", "dyson vacuum", {"vacuum": 3}, "dyson"),
    ("brand", "삼성 노트북", {"laptop": 3}, "samsung"),
    ("brand", "samsung 청소기", {"vacuum": 3}, "samsung"),
    ("brand", "애플 노트북", {"laptop": 3}, "apple"),
    ("brand", "맥북", {"laptop": 3}, "apple"),
    ("brand", "아이폰", {"phone": 3}, "apple"),
    ("brand", "iphone case", {"phone_case": 3, "phone": 1}, ""),
    ("brand", "갤럭시 버즈", {"earbuds": 3}, "samsung"),
    ("brand", "에어팟", {"earbuds": 3}, "apple"),
    ("brand", "노스페이스 패딩", {"padding": 3}, "northface"),
    ("brand", "north face 패딩", {"padding": 3}, "northface"),
    ("brand", "파타고니아", {}, "patagonia"),
    ("brand", "patagonia fleece", {"fleece": 3}, "patagonia"),
    ("brand", "쿠쿠 밥솥", {"rice_cooker": 3}, "cuckoo"),
    ("brand", "cuckoo", {}, "cuckoo"),
    ("brand", "로지텍 마우스", {"mouse": 3}, "logitech"),
    ("brand", "logitech keyboard", {"keyboard": 3}, "logitech"),
    ("brand", "스타벅스 원두", {"coffee_beans": 3}, "starbucks"),
    ("brand", "이니스프리", {}, "innisfree"),
    ("brand", "라로슈포제 선크림", {"sunscreen": 3}, "laroche"),
    ("brand", "콜맨 텐트", {"tent": 3}, "coleman"),
    ("brand", "헌터 장화", {"rain_boots": 3}, "hunter"),
    ("brand", "가민", {}, "garmin"),
    ("brand", "garmin watch", {"watch": 3}, "garmin"),
    ("brand", "필립스 에어프라이어", {"air_fryer": 3}, "philips"),
    ("brand", "엘지 그램", {"laptop": 3}, "lg"),
    ("brand", "갤럭시 워치", {"watch": 3}, "samsung"),
    # synonyms: words no item uses
    ("synonym", "조깅화", {"running_shoes": 3, "sneakers": 1}, ""),
    ("synonym", "jogging shoes", {"running_shoes": 3, "sneakers": 1}, ""),
    ("synonym", "랩탑", {"laptop": 3, "laptop_pouch": 1}, ""),
    ("synonym", "notebook computer", {"laptop": 3, "laptop_pouch": 1}, ""),
    ("synonym", "핸드폰", {"phone": 3, "phone_case": 1}, ""),
    ("synonym", "cellphone", {"phone": 3, "phone_case": 1}, ""),
    ("synonym", "아령", {"dumbbell": 3}, ""),
    ("synonym", "free weights", {"dumbbell": 3}, ""),
    ("synonym", "자외선 차단제", {"sunscreen": 3}, ""),
    ("synonym", "sun cream", {"sunscreen": 3}, ""),
    ("synonym", "밀감", {"tangerine": 3}, ""),
    ("synonym", "clementines", {"tangerine": 3}, ""),
    ("synonym", "다운 점퍼", {"padding": 3, "fleece": 1}, ""),
    ("synonym", "parka", {"padding": 3, "wool_coat": 1}, ""),
    ("synonym", "외투", {"padding": 3, "wool_coat": 3, "fleece": 2}, ""),
    ("synonym", "트레이너 신발", {"sneakers": 3, "running_shoes": 2}, ""),
    ("synonym", "kicks", {"sneakers": 3, "running_shoes": 2}, ""),
    ("synonym", "헤드셋 말고 이어버드", {"earbuds": 3}, ""),
    ("synonym", "earphones bluetooth", {"earbuds": 3}, ""),
    ("synonym", "사료 강아지 밥", {"dog_food": 3}, ""),
    ("synonym", "puppy kibble", {"dog_food": 3}, ""),
    ("synonym", "밥 짓는 기계", {"rice_cooker": 3}, ""),
    ("synonym", "bike", {"bicycle": 3}, ""),
    ("synonym", "두발자전거", {"bicycle": 3}, ""),
    ("synonym", "손목시계 스마트", {"watch": 3}, ""),
    ("synonym", "fitness tracker", {"watch": 3}, ""),
    ("synonym", "로션 얼굴 보습", {"moisturizer": 3, "hand_cream": 1}, ""),
    ("synonym", "face lotion", {"moisturizer": 3}, ""),
    ("synonym", "비올때 신는 부츠", {"rain_boots": 3}, ""),
    ("synonym", "galoshes", {"rain_boots": 3}, ""),
    ("synonym", "홈카페 커피콩", {"coffee_beans": 3}, ""),
    ("synonym", "espresso beans", {"coffee_beans": 3}, ""),
    ("synonym", "소형 가전 튀김기", {"air_fryer": 3}, ""),
    ("synonym", "camping shelter", {"tent": 3}, ""),
    ("synonym", "휴대용 컴퓨터", {"laptop": 3}, ""),
    # cross-lingual: descriptive queries in one language
    ("cross", "warm jacket", {"padding": 3, "fleece": 2, "wool_coat": 2}, ""),
    ("cross", "따뜻한 자켓", {"padding": 3, "fleece": 3, "wool_coat": 2}, ""),
    ("cross", "shoes for a marathon", {"running_shoes": 3, "sneakers": 1}, ""),
    ("cross", "마라톤 신발", {"running_shoes": 3, "sneakers": 1}, ""),
    ("cross", "sweet winter fruit from Jeju", {"tangerine": 3, "apple_fruit": 1, "pear": 1}, ""),
    ("cross", "제주 과일", {"tangerine": 3}, ""),
    ("cross", "noise cancelling earphones", {"earbuds": 3}, ""),
    ("cross", "노이즈 캔슬링 이어폰", {"earbuds": 3}, ""),
    ("cross", "vacuum for pet hair", {"vacuum": 3}, ""),
    ("cross", "강아지 털 청소", {"vacuum": 3}, ""),
    ("cross", "tent for family camping", {"tent": 3, "camping_mat": 1, "sleeping_bag": 1}, ""),
    ("cross", "가족 캠핑 텐트", {"tent": 3, "camping_mat": 1, "sleeping_bag": 1}, ""),
    ("cross", "coffee", {"cafe": 3, "coffee_beans": 3}, ""),
    ("cross", "커피", {"cafe": 3, "coffee_beans": 3}, ""),
    ("cross", "cozy cafe with window seats", {"cafe": 3}, ""),
    ("cross", "분위기 좋은 동네 카페", {"cafe": 3}, ""),
    ("cross", "light laptop for students", {"laptop": 3}, ""),
    ("cross", "가벼운 노트북", {"laptop": 3}, ""),
    ("cross", "grain free dog food", {"dog_food": 3}, ""),
    ("cross", "알러지 강아지 사료", {"dog_food": 3}, ""),
    ("cross", "shoes for a rainy day", {"rain_boots": 3, "hiking_boots": 1}, ""),
    ("cross", "비 오는 날 신는 신발", {"rain_boots": 3, "hiking_boots": 1}, ""),
    ("cross", "scratching post for cats", {"cat_tower": 3}, ""),
    ("cross", "고양이 스크래쳐", {"cat_tower": 3}, ""),
    ("cross", "pressure rice cooker for one", {"rice_cooker": 3}, ""),
    ("cross", "1인 가구 밥솥", {"rice_cooker": 3}, ""),
    ("cross", "silver earrings gift", {"earrings": 3}, ""),
    ("cross", "선물용 진주 귀걸이", {"earrings": 3}, ""),
    ("cross", "UV protection for summer", {"sunscreen": 3, "sunglasses": 1}, ""),
    ("cross", "여름 자외선 차단", {"sunscreen": 3, "sunglasses": 1}, ""),
    ("cross", "home workout equipment", {"dumbbell": 3, "yoga_mat": 3}, ""),
    ("cross", "홈트 용품", {"dumbbell": 3, "yoga_mat": 3}, ""),
    ("cross", "fermented cabbage", {"kimchi": 3}, ""),
    ("cross", "김치찌개용 익은 김치", {"kimchi": 3}, ""),
    ("cross", "crispy frozen chicken", {"air_fryer": 3}, ""),
    ("cross", "조용한 사무용 마우스", {"mouse": 3}, ""),
    # ambiguous: several senses are right
    ("ambiguous", "애플", {}, "apple_or_fruit"),
    ("ambiguous", "apple", {}, "apple_or_fruit"),
    ("ambiguous", "배", {"pear": 2, "boat_fishing": 2}, ""),
    (
        "ambiguous",
        "크림",
        {"hand_cream": 2, "moisturizer": 2, "sunscreen": 1, "cream_pasta": 2},
        "",
    ),
    (
        "ambiguous",
        "cream",
        {"hand_cream": 2, "moisturizer": 2, "sunscreen": 1, "cream_pasta": 2},
        "",
    ),
    ("ambiguous", "케이스", {"phone_case": 2, "laptop_pouch": 2}, ""),
    ("ambiguous", "case", {"phone_case": 2, "laptop_pouch": 2}, ""),
    ("ambiguous", "매트", {"yoga_mat": 2, "camping_mat": 2}, ""),
    ("ambiguous", "mat", {"yoga_mat": 2, "camping_mat": 2}, ""),
    ("ambiguous", "러닝", {"running_shoes": 2, "running_socks": 2, "running_crew": 2}, ""),
    ("ambiguous", "running", {"running_shoes": 2, "running_socks": 2, "running_crew": 2}, ""),
    ("ambiguous", "갤럭시", {}, "samsung_galaxy"),
    ("ambiguous", "선", {"sunscreen": 2, "sunglasses": 2}, ""),
    ("ambiguous", "sun", {"sunscreen": 2, "sunglasses": 2}, ""),
    ("ambiguous", "부츠", {"rain_boots": 2, "hiking_boots": 2}, ""),
    ("ambiguous", "boots", {"rain_boots": 2, "hiking_boots": 2}, ""),
    ("ambiguous", "가방", {"backpack": 2, "laptop_pouch": 2}, ""),
    ("ambiguous", "bag", {"backpack": 2, "laptop_pouch": 2, "sleeping_bag": 1}, ""),
    ("ambiguous", "양말", {"running_socks": 2}, ""),
    ("ambiguous", "과일", {"tangerine": 2, "apple_fruit": 2, "pear": 2}, ""),
    ("ambiguous", "fruit", {"tangerine": 2, "apple_fruit": 2, "pear": 2}, ""),
    ("ambiguous", "캠핑", {"tent": 2, "sleeping_bag": 2, "camping_mat": 2, "fleece": 1}, ""),
    ("ambiguous", "camping", {"tent": 2, "sleeping_bag": 2, "camping_mat": 2, "fleece": 1}, ""),
    ("ambiguous", "워치", {"watch": 2}, ""),
    ("ambiguous", "pad", {"camping_mat": 2, "tablet": 2}, ""),
    ("ambiguous", "패드", {"camping_mat": 2, "tablet": 2}, ""),
    ("ambiguous", "겨울", {"padding": 2, "wool_coat": 2, "tangerine": 1, "hand_cream": 1}, ""),
    ("ambiguous", "winter", {"padding": 2, "wool_coat": 2, "tangerine": 1, "hand_cream": 1}, ""),
    ("ambiguous", "밥", {"rice_cooker": 2, "dog_food": 1}, ""),
    ("ambiguous", "pie", {"apple_pie": 2}, ""),
]


def grade(item: dict[str, str], types: dict[str, int], brand: str) -> int:
    t, b = item["type"], item["brand"]
    if brand == "apple_or_fruit":  # Apple the brand and apples the fruit are both right
        if b == "apple":
            return 2
        return {"apple_fruit": 2, "apple_pie": 1}.get(t, 0)
    if brand == "samsung_galaxy":  # the Galaxy line: phones, earbuds, watches, tablets
        text = f"{item['title']} {item['body']}"
        return 2 if b == "samsung" and ("Galaxy" in text or "갤럭시" in text) else 0
    if not brand:
        return types.get(t, 0)
    if not types:
        return 3 if b == brand else 0
    g = types.get(t, 0)
    if g and b == brand:
        return g
    if g:
        return g - 1
    return 1 if b == brand else 0


def main() -> None:
    rng = random.Random(SEED)
    items = make_items(rng)
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "items.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(
            f, ["id", "kind", "type", "brand", "lang", "title", "body"], delimiter="\t",
            lineterminator="\n",
        )  # fmt: skip
        w.writeheader()
        w.writerows(sorted(items, key=lambda it: it["id"]))
    with open(OUT / "queries.tsv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["qid", "split", "type", "query", "judgments"])
        for n, (kind, query, types, brand) in enumerate(Q, start=1):
            grades = {it["id"]: grade(it, types, brand) for it in items}
            judged = ",".join(f"{i}:{g}" for i, g in sorted(grades.items()) if g > 0)
            assert judged, query
            intent = f"{sorted(types.items())}|{brand}"
            split = "dev" if zlib.crc32(intent.encode()) % 2 else "test"
            w.writerow([f"r{n:03d}", split, kind, query, judged])
    kinds = {k: sum(1 for q in Q if q[0] == k) for k in dict.fromkeys(q[0] for q in Q)}
    print(f"{len(items)} items, {len(Q)} queries {kinds} -> {OUT}")


if __name__ == "__main__":
    main()
