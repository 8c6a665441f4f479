import { Random } from './random';

/** Common surnames with rough relative frequencies; 顾, 陆, 沈, 钱 are over-represented as in Suzhou. Compound surnames keep masking honest. */
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 70],
  ['张', 68],
  ['刘', 52],
  ['陈', 50],
  ['杨', 34],
  ['黄', 24],
  ['赵', 22],
  ['吴', 24],
  ['周', 22],
  ['徐', 22],
  ['孙', 16],
  ['马', 13],
  ['朱', 16],
  ['胡', 13],
  ['郭', 11],
  ['何', 10],
  ['高', 10],
  ['林', 10],
  ['罗', 8],
  ['郑', 8],
  ['梁', 7],
  ['谢', 7],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 6],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 4],
  ['蒋', 6],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 5],
  ['程', 4],
  ['苏', 3],
  ['魏', 4],
  ['吕', 3],
  ['丁', 4],
  ['任', 3],
  ['沈', 9],
  ['姚', 4],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 8],
  ['汪', 3],
  ['范', 4],
  ['金', 4],
  ['石', 3],
  ['贾', 2],
  ['夏', 3],
  ['方', 3],
  ['邹', 2],
  ['孟', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['顾', 9],
  ['钱', 6],
  ['严', 3],
  ['龚', 2],
  ['殷', 1],
  ['浦', 1],
  ['欧阳', 1],
  ['司马', 0.3],
  ['上官', 0.3],
];

const MALE_CHARS = '伟强军磊勇杰涛明超刚平辉健斌俊峰建国华文志宏海波东亮鹏飞凯浩宇晨阳鑫昊宁锋斌忠德兵荣新春林';
const FEMALE_CHARS = '芳娜敏静丽艳娟霞秀英玲桂兰燕红梅琳婷雪慧颖倩洁佳琪欣怡萍丹蓉婉晶莉薇月';

export type Sex = 'M' | 'F';

export function personName(rng: Random, sex: Sex): string {
  const surname = rng.weighted(SURNAMES);
  const chars = sex === 'M' ? MALE_CHARS : FEMALE_CHARS;
  const givenLength = rng.chance(0.72) ? 2 : 1;
  let given = '';
  for (let i = 0; i < givenLength; i++) given += chars[rng.int(0, chars.length - 1)];
  return surname + given;
}
