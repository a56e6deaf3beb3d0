"""The sizes, shares, seed and the Chinese words the benchmark dataset is made of."""

import datetime

from assessment.models import Grade
from core.demo import SCHOOL_PLANS
from core.models import School
from mentoring.models import GuidanceSession
from records.models import Lecture, Level

BENCH_PREFIX = "BENCH"
BENCH_SEED = 20261123
SCHOOLS_PER_DISTRICT = 20
TZ = datetime.timezone(datetime.timedelta(hours=8))
PROJECT_APPS = ("core", "teachers", "backbone", "records", "mentoring", "assessment")

AREAS = ("鼓楼区", "台江区", "仓山区", "晋安区", "马尾区", "长乐区", "福清市", "闽侯县", "连江县",
         "罗源县", "闽清县", "永泰县", "平潭县")  # fmt: skip
K = School.Kind
# Twenty schools of a district: half primary schools, then middle schools, kindergartens, a
# nine-year school and a township central school. The first school is a primary school.
KIND_CYCLE = (K.PRIMARY, K.MIDDLE, K.PRIMARY, K.KINDERGARTEN, K.PRIMARY, K.MIDDLE, K.PRIMARY,
              K.PRIMARY, K.MIDDLE, K.NINE_YEAR, K.PRIMARY, K.KINDERGARTEN, K.PRIMARY, K.MIDDLE,
              K.PRIMARY, K.CENTRAL, K.PRIMARY, K.MIDDLE, K.KINDERGARTEN, K.PRIMARY)  # fmt: skip
BASE_PLANS = {plan.kind: plan for plan in SCHOOL_PLANS}
BASE_PLANS[K.NINE_YEAR] = BASE_PLANS[K.CENTRAL] = BASE_PLANS[K.PRIMARY]
KIND_NAMES = {K.PRIMARY: "小学", K.MIDDLE: "中学", K.KINDERGARTEN: "幼儿园",
              K.NINE_YEAR: "九年一贯制学校", K.CENTRAL: "中心小学"}  # fmt: skip
KIND_LETTERS = {K.PRIMARY: "X", K.MIDDLE: "Z", K.KINDERGARTEN: "Y", K.NINE_YEAR: "J",
                K.CENTRAL: "C"}  # fmt: skip
TOWNS = ("洪山", "南屿", "城关", "上街", "青口", "江田", "潭头", "梅城")
BUREAUS = {"district": "{area}教育局", "municipal": "福州市教育局", "provincial": "福建省教育厅",
           "subject_leader": "{area}教育局", "teaching_expert": "福州市教育局",
           "famous_teacher": "福建省教育厅"}  # fmt: skip
# Share of a school's backbone teachers per tier, highest first (the rest: school tier).
TIER_SHARES = (("provincial", 0.03), ("municipal", 0.12), ("district", 0.30))
BACKBONE_SHARE = 0.25  # of a school's active teachers
GRADE_WEIGHTS = ((Grade.EXCELLENT, 25), (Grade.GOOD, 40), (Grade.QUALIFIED, 32),
                 (Grade.UNQUALIFIED, 3))  # fmt: skip
HOLIDAYS = (("国庆节", (10, 1), (10, 7), 0), ("元旦", (1, 1), (1, 1), 1),
            ("清明节", (4, 4), (4, 6), 1), ("劳动节", (5, 1), (5, 5), 1),
            ("端午节", (6, 1), (6, 1), 1))  # fmt: skip

SUBJECT_TOPICS = (
    "课堂教学展示",
    "大单元复习课",
    "综合实践活动",
    "新授课",
    "习题讲评课",
    "项目式学习",
)
THEMES = (
    "大单元整体教学设计的实践研究",
    "“双减”背景下作业设计的优化",
    "核心素养导向的课堂提问策略",
    "学习任务群视域下的阅读教学",
    "基于课堂观察的学生深度学习",
)
PLACES = ("三楼录播教室", "学术报告厅", "多功能厅", "四年级（2）班教室", "五年级（1）班教室")
PAPER_TITLES = ("核心素养视域下{s}大单元教学的实践与思考", "“双减”背景下{s}分层作业设计探究",
                "基于学习任务群的{s}课堂教学案例", "信息技术与{s}教学深度融合的策略研究",
                "{s}课堂追问的有效性研究", "{s}跨学科主题学习的设计与实施")  # fmt: skip
VENUES = ("《福建教育》", "《小学教学参考》", "《福州教育研究》", "区教育教学论文评选",
          "福州市基础教育教学成果评选")  # fmt: skip
LECTURES = (("如何上好一节家常课", Lecture.Audience.GRADE_GROUP),
            ("大单元教学设计的几点思考", Lecture.Audience.WHOLE_STAFF),
            ("新课标背景下的作业设计", Lecture.Audience.FORUM),
            ("青年教师如何做好教学反思", Lecture.Audience.WHOLE_STAFF),
            ("从一节课看课堂评价的变化", Lecture.Audience.DISTRICT))  # fmt: skip
SCHOOL_TRAININGS = ("校本培训：新课程标准解读", "校本培训：课堂观察量表的使用",
                    "校本培训：信息技术2.0应用能力提升", "校本培训：师德师风专题学习",
                    "校本培训：作业设计工作坊", "校本培训：心理健康教育")  # fmt: skip
OTHER_TRAININGS = (("区小学骨干教师研修班", Level.DISTRICT),
                   ("福州市中小学教师暑期全员培训", Level.MUNICIPAL),
                   ("国家中小学智慧教育平台寒假研修", Level.NATIONAL),
                   ("福建省中小学骨干教师网络研修", Level.PROVINCIAL),
                   ("区新课标专题培训", Level.DISTRICT))  # fmt: skip
BOOKS = (
    "《给教师的建议》",
    "《教学勇气》",
    "《静悄悄的革命》",
    "《第56号教室的奇迹》",
    "《学习的本质》",
    "《追求理解的教学设计》",
    "《可见的学习》",
    "《课程的逻辑》",
)
TRIPS = (("上海市静安区教育学院附属学校", "参加长三角{s}课堂教学观摩研讨会"),
         ("杭州市天长小学", "学习“基于学习任务群”的教学改革经验"),
         ("南京市琅琊路小学", "参加全国{s}教学改革研讨活动"))  # fmt: skip
OUTSIDERS = (("陈晓燕", "福州市实验小学"), ("林海峰", "福州教育学院附属第一小学"),
             ("黄丽华", "鼓楼区第二中心小学"))  # fmt: skip
RETURN_REASONS = ("内容过于简单，请补充教学环节的评析和自己的思考。",
                  "请补充发表刊物的刊号和期数后再提交。",
                  "日期与学校活动安排不一致，请核对后重新提交。",
                  "请写明培训的主办单位，并补充培训证书。")  # fmt: skip
OBSERVATION_NOTES = "教学目标清晰，情境导入自然；小组合作时学生参与度高。建议：追问可以更深入。"
REFLECTION = "读{book}，印象最深的是把学生放在课堂中央。下阶段准备在每节课设计一个核心问题。"
GOALS = "一年内站稳讲台：能独立完成单元教学设计，课堂组织有序；学期末上一节校级汇报课。"
MENTOR_DUTIES = "每周听徒弟的课不少于两节并及时评课；每月指导一次教学设计。"
APPRENTICE_DUTIES = "每周听师傅的课不少于一节，写好听课记录和反思；期末上一节汇报课。"
APPRAISAL = "一年来虚心好学，课堂从“讲得多”转向“学生说得多”，汇报课获得教研组好评。"
SESSION_NOTES = (
    (GuidanceSession.Kind.LESSON_PLAN, "一起修改下周公开课的教学设计。"),
    (GuidanceSession.Kind.DEBRIEF, "课后评课：时间把控好，板书清楚。"),
    (GuidanceSession.Kind.MATERIALS, "分析下一单元教材的编排意图。"),
    (GuidanceSession.Kind.REFLECTION, "谈了本学期的困惑，商量了时间安排。"),
)
DUTY_REPORT = "本学年履行骨干教师职责：上公开课、开设专题讲座、带教青年教师，完成培训学时。"
