"""An agency's remedy facts as tests record them: a complete agency names who hears a
reconsideration and which court hears a suit, with addresses (an agency without them cannot issue
the letters that name them; the tests of that refusal make such an agency explicitly)."""

REMEDIES = {
    "reconsideration_body": "江州市人民政府",
    "reconsideration_address": "江州市滨江区人民路1号市民中心",
    "court": "江州市滨江区人民法院",
    "court_address": "江州市滨江区法院路8号",
}
