//! A list a template makes behaves as a JavaScript array: `push` (and `pop`, `shift`,
//! `unshift`) change it where every name bound to it sees the change, as the Nunjucks idiom
//! `{% set _ = list.push(entry) %}` expects. Other methods are the ones of `filters::js_method`.

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Error, State};
use std::sync::{Arc, Mutex};

/// A list a template builds: `__list([...])`.
#[derive(Debug, Default)]
pub struct JsList(Mutex<Vec<Value>>);

impl JsList {
    pub fn value(items: Vec<Value>) -> Value {
        Value::from_object(JsList(Mutex::new(items)))
    }

    fn items(&self) -> std::sync::MutexGuard<'_, Vec<Value>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Object for JsList {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let items = self.items();
        if key.as_str() == Some("length") {
            return Some(Value::from(items.len()));
        }
        let index = i64::try_from(key.clone()).ok()?;
        let index = if index < 0 { items.len() as i64 + index } else { index };
        items.get(usize::try_from(index).ok()?).cloned()
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.items().clone())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.items().len())
    }

    fn call_method(self: &Arc<Self>, state: &mut State, method: &str, args: &[Value]) -> Result<Value, Error> {
        let mut items = self.items();
        match method {
            "push" => {
                items.extend(args.iter().cloned());
                Ok(Value::from(items.len()))
            }
            "unshift" => {
                for (i, arg) in args.iter().enumerate() {
                    items.insert(i, arg.clone());
                }
                Ok(Value::from(items.len()))
            }
            "pop" => Ok(items.pop().unwrap_or(Value::UNDEFINED)),
            "shift" => Ok(if items.is_empty() { Value::UNDEFINED } else { items.remove(0) }),
            _ => {
                let snapshot = Value::from(items.clone());
                drop(items);
                super::filters::js_method_of(state, &snapshot, method, args)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str) -> String {
        let mut env = minijinja::Environment::new();
        env.add_function("__list", |items: Vec<Value>| JsList::value(items));
        env.set_unknown_method_callback(|state, value, method, args| {
            super::super::filters::js_method_of(state, value, method, args)
        });
        env.render_str(template, ()).expect("renders")
    }

    #[test]
    fn push_changes_the_list_every_name_sees() {
        let out = render("{% set list = __list([]) %}{% for x in [1, 2, 3] %}{% set _ = list.push(x * 2) %}{% endfor %}{{ list | join(',') }}");
        assert_eq!(out, "2,4,6");
    }

    #[test]
    fn a_list_answers_javascripts_methods_and_length() {
        let out = render("{% set list = __list(['a', 'b', 'a']) %}{{ list.length }} {{ list.lastIndexOf('a') }} {{ list.indexOf('b') }} {% if not list.includes('c') %}no-c{% endif %} {{ list.join('-') }}");
        assert_eq!(out, "3 2 1 no-c a-b-a");
    }
}
