import type { RawConfigInput } from "./schema.ts";

const demoTableCount = 12;

/**
 * The demo restaurant, in the same shape as a CONFIG_FILE, so it goes through the
 * same validation. Used when CONFIG_FILE is unset. Its PINs are public: never deploy it.
 * Treat as read-only; tests that need a variant should structuredClone it.
 */
export const demoRawConfig = {
  stores: [
    {
      id: "demo",
      name: "데모 식당",
      tables: Array.from({ length: demoTableCount }, (_, i) => ({ id: `T${i + 1}`, name: `${i + 1}번 테이블` })),
      stations: [
        { id: "kitchen", name: "주방" },
        { id: "bar", name: "바" },
      ],
      menu: [
        {
          id: "kimchi-jjigae",
          name: "김치찌개",
          price: 9000,
          stationId: "kitchen",
          category: "찌개",
          optionGroups: [
            {
              id: "spice",
              name: "맵기",
              minSelect: 1,
              maxSelect: 1,
              choices: [
                { id: "mild", name: "순한맛", priceDelta: 0 },
                { id: "medium", name: "보통", priceDelta: 0 },
                { id: "hot", name: "매운맛", priceDelta: 0 },
              ],
            },
            {
              id: "extra",
              name: "추가",
              minSelect: 0,
              maxSelect: 2,
              choices: [
                { id: "rice", name: "공기밥 추가", priceDelta: 1000 },
                { id: "ramen", name: "라면사리", priceDelta: 1500 },
              ],
            },
          ],
        },
        { id: "doenjang-jjigae", name: "된장찌개", price: 8000, stationId: "kitchen", category: "찌개" },
        { id: "jeyuk", name: "제육볶음", price: 11000, stationId: "kitchen", category: "요리" },
        { id: "gyeran-mari", name: "계란말이", price: 7000, stationId: "kitchen", category: "요리" },
        { id: "haemul-pajeon", name: "해물파전", price: 15000, stationId: "kitchen", category: "요리" },
        { id: "rice", name: "공기밥", price: 1000, stationId: "kitchen", category: "식사" },
        { id: "special", name: "오늘의 특선", price: 13000, stationId: "kitchen", soldOut: true, category: "요리" },
        {
          id: "beer",
          name: "생맥주",
          price: 5000,
          stationId: "bar",
          category: "주류",
          optionGroups: [
            {
              id: "size",
              name: "사이즈",
              minSelect: 1,
              maxSelect: 1,
              choices: [
                { id: "500", name: "500cc", priceDelta: 0 },
                { id: "1000", name: "1000cc", priceDelta: 3000 },
              ],
            },
          ],
        },
        { id: "soju", name: "소주", price: 5000, stationId: "bar", category: "주류" },
        { id: "makgeolli", name: "막걸리", price: 6000, stationId: "bar", category: "주류" },
        { id: "cola", name: "콜라", price: 2000, stationId: "bar", category: "음료" },
        { id: "cider", name: "사이다", price: 2000, stationId: "bar", category: "음료" },
      ],
      staff: [
        { id: "s1", name: "김민수", role: "staff", pin: "1111" },
        { id: "s2", name: "이지은", role: "staff", pin: "2222" },
        { id: "a1", name: "박관리", role: "admin", pin: "9999" },
        { id: "k1", name: "주방화면", role: "kitchen", pin: "5555" },
      ],
    },
  ],
} satisfies RawConfigInput;
